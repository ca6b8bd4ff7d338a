import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer, stopAllChildren, type ChildServer } from "../helpers/childServer.ts";
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./privateServers.ts";
import { SimulatedCustomer, eventually, percentile } from "./SimulatedCustomer.ts";
import { clusterEnv, lostOrDoubled, QUESTIONS, readLedger, removeClusterDirs } from "./faultCluster.ts";

/**
 * PostgreSQL restarted (stopped for DOWN_MS, then started) while customers chat on
 * a node that runs web and realtime, with a separate worker. The server processes
 * are never restarted.
 */
const DOWN_MS = Number(process.env.PG_DOWN_MS ?? 5000);

describe(`PostgreSQL restarted (down ${DOWN_MS / 1000} s) while customers chat`, () => {
  let pgServer: PrivatePostgres;
  let redis: PrivateRedis;
  let databaseUrl: string;
  let node: ChildServer;
  let worker: ChildServer;
  const customers: SimulatedCustomer[] = [];

  beforeAll(async () => {
    [pgServer, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    databaseUrl = await pgServer.createDatabase("bd_pg_restart");
    const env = clusterEnv(databaseUrl, redis.url);
    node = await startChildServer({ name: "node", services: "web,realtime", env: { ...env, DEMO_SEED: "true" } });
    worker = await startChildServer({ name: "worker", services: "worker", env });
  }, 120_000);

  afterAll(async () => {
    for (const c of customers) c.close();
    await stopAllChildren();
    await redis?.destroy();
    await pgServer?.destroy();
    removeClusterDirs();
  }, 60_000);

  it("/readyz goes red then green, clients get a retryable error, re-sent messages are stored exactly once", async () => {
    for (let i = 0; i < 5; i++) customers.push(await SimulatedCustomer.start(`pg-${i}`, node.url!));
    const pids = [node.proc.pid, worker.proc.pid];

    // /readyz, polled as a load balancer would.
    const readiness: Array<{ at: number; status: number }> = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const status = await fetch(`${node.url}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.status,
          () => 0,
        );
        readiness.push({ at: Date.now(), status });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    let n = 0;
    const chat = setInterval(() => {
      for (const c of customers) c.send(`${QUESTIONS[n % QUESTIONS.length]} (#${n})`);
      n++;
    }, 1000);

    try {
      await new Promise((r) => setTimeout(r, 3000));
      const downAt = Date.now();
      await pgServer.stop();
      await new Promise((r) => setTimeout(r, Math.max(0, downAt + DOWN_MS - Date.now())));
      await pgServer.start();
      const upAt = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      // Acknowledgements lost after the store: the re-sent copies must not be stored again.
      for (const c of customers) c.sendLosingAck("Can I freeze my card in the app? (ack lost)");
      await new Promise((r) => setTimeout(r, 2000));
      clearInterval(chat);

      const allAckedMs = await eventually(() => customers.every((c) => c.unacknowledged === 0), 30_000, "every message acknowledged");
      polling = false;
      await poll;

      // Readiness: green before, red while the database was away, green again after.
      const before = readiness.filter((r) => r.at < downAt);
      const during = readiness.filter((r) => r.at > downAt + 500 && r.at < upAt - 500);
      const greenAgain = readiness.find((r) => r.at > upAt && r.status === 200);
      expect(before.every((r) => r.status === 200)).toBe(true);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((r) => r.status === 503)).toBe(true);
      expect(greenAgain).toBeDefined();
      expect(readiness.at(-1)!.status).toBe(200);

      // Clients were told to retry (not left hanging, not given a permanent error).
      const failures = customers.flatMap((c) => c.failures);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.filter((f) => f.code !== "timeout").every((f) => f.code === "unavailable" && f.retryable)).toBe(true);

      // Every message stored exactly once, including the ones re-sent after a lost acknowledgement.
      const ledger = await readLedger(databaseUrl, customers);
      expect(lostOrDoubled(ledger, customers)).toEqual([]);
      expect(customers.reduce((s, c) => s + c.duplicates, 0)).toBeGreaterThanOrEqual(customers.length);

      // The same processes carry on: no restart was needed.
      for (const c of [node, worker]) if (c.exited) console.error(`--- ${c.name} exited:\n${c.output().slice(-5000)}`);
      expect([node.exited, worker.exited]).toEqual([false, false]);
      expect([node.proc.pid, worker.proc.pid]).toEqual(pids);
      const last = customers[0]!.send("Can I freeze my card in the app? (after)");
      await eventually(() => customers[0]!.acked.has(last), 10_000, "a message after recovery");

      // And the assistant answers what was stored (its jobs retry through the outage).
      const answeredMs = await eventually(
        async () => (await readLedger(databaseUrl, customers)).botReplies.every((r) => r.replies >= 1),
        60_000,
        "every customer message answered by the assistant",
      );
      const final = await readLedger(databaseUrl, customers);
      expect(final.botReplies.filter((r) => r.replies !== 1)).toEqual([]);

      const red = readiness.filter((r) => r.status !== 200);
      console.info(
        [
          `postgres down ${DOWN_MS} ms: /readyz red ${red.length} polls (first ${red[0]!.at - downAt} ms after the stop), green ${greenAgain!.at - upAt} ms after the start`,
          `client errors: ${failures.length} failed attempts (${[...new Set(failures.map((f) => `${f.code}${f.retryable ? "/retryable" : ""}`))].join(", ")}), ` +
            `${customers.reduce((s, c) => s + c.duplicates, 0)} re-sends answered as duplicates`,
          `all ${ledger.stored.size} messages acknowledged ${allAckedMs} ms after the chat stopped; ack p95 over the run ${percentile(
            customers.flatMap((c) => c.latencies),
            95,
          )} ms`,
          `assistant caught up ${answeredMs} ms later; ${final.botReplies.length} bot-owned messages answered once each`,
        ].join("\n"),
      );
    } finally {
      clearInterval(chat);
      polling = false;
    }
  }, 240_000);
});
