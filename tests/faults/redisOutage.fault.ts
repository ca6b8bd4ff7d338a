import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { signInAgent, unpackAgentEvents } from "../helpers/testApp.ts";
import { startChildServer, stopAllChildren, type ChildServer } from "../helpers/childServer.ts";
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./privateServers.ts";
import { SimulatedCustomer, eventually, percentile } from "./SimulatedCustomer.ts";
import { clusterEnv, lostOrDoubled, QUESTIONS, readLedger, removeClusterDirs } from "./faultCluster.ts";

/**
 * Redis stopped while customers chat, on two web/realtime nodes and a worker.
 *
 * 30 s by default (REDIS_OUTAGE_MS overrides). What it found and what was fixed:
 * - pub/sub drops what is broadcast while a node's subscriber is away, so the node
 *   now has its sockets reconnect and resync once the subscriber is back
 *   (createRealtime.ts; logged below, not yet asserted: it did not fire in every run);
 * - BullMQ's reconnect backoff (up to 20 s) left jobs waiting ~15 s after Redis was
 *   back; the queue's connections now retry every ≤ 2 s (BullQueue.ts).
 *
 * Redis is stopped with SHUTDOWN SAVE and started again on its data, as a Redis with
 * persistence (which BullMQ needs: see the README's production section) does.
 */
const OUTAGE_MS = Number(process.env.REDIS_OUTAGE_MS ?? 30_000);

describe(`Redis stopped for ${OUTAGE_MS / 1000} s while customers chat`, () => {
  let pgServer: PrivatePostgres;
  let redis: PrivateRedis;
  let databaseUrl: string;
  let a: ChildServer;
  let b: ChildServer;
  let agent: Socket;
  const customers: SimulatedCustomer[] = [];

  beforeAll(async () => {
    [pgServer, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    databaseUrl = await pgServer.createDatabase("bd_redis_outage");
    const env = clusterEnv(databaseUrl, redis.url);
    a = await startChildServer({ name: "node-a", services: "web,realtime", env: { ...env, DEMO_SEED: "true" } });
    [b] = await Promise.all([
      startChildServer({ name: "node-b", services: "web,realtime", env }),
      startChildServer({ name: "worker", services: "worker", env }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const c of customers) c.close();
    agent?.disconnect();
    await stopAllChildren();
    await redis?.destroy();
    await pgServer?.destroy();
    removeClusterDirs();
  }, 60_000);

  it("keeps accepting and storing messages; jobs and cross-node events resume; nothing is lost", async () => {
    const password = (await a.waitFor(/Demo admin: (\S+) password: (\S+)/))[2]!;
    const { cookie } = await signInAgent({ url: b.url! }, "admin@bayviewbank.example", password);
    agent = unpackAgentEvents(connect(`${b.url}/agent`, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true }));
    await new Promise<void>((resolve) => agent.once("connect", () => resolve()));
    const heardByAgent = new Set<string>();
    const lastHeard = new Map<string, number>();
    agent.on("message", (e: { message: { content: string; sender?: { type: string } }; conversation: { id: string } }) => {
      heardByAgent.add(e.message.content);
      const who = customers.find((c) => c.conversationId === e.conversation.id)?.name ?? "?";
      lastHeard.set(`${who}/${e.message.sender?.type}`, Date.now());
    });
    // Like the console: reconnect after a server-side disconnect (the node's resync after Redis returns).
    let agentResyncs = 0;
    agent.on("disconnect", (reason) => {
      if (reason !== "io server disconnect") return;
      agentResyncs++;
      setTimeout(() => agent.connect(), 250);
    });

    for (let i = 0; i < 4; i++) customers.push(await SimulatedCustomer.start(`redis-a${i}`, a.url!));
    for (let i = 0; i < 2; i++) customers.push(await SimulatedCustomer.start(`redis-b${i}`, b.url!));

    // Each customer writes every ~1.2 s for the whole scenario.
    let n = 0;
    const chat = setInterval(() => {
      for (const c of customers) c.send(`${QUESTIONS[n % QUESTIONS.length]} (#${n})`);
      n++;
    }, 1200);

    try {
      await new Promise((r) => setTimeout(r, 3000));
      await redis.stop({ save: true });
      const downAt = Date.now();
      const sentBefore = customers.reduce((s, c) => s + c.generated.length, 0);
      const ackedBefore = customers.reduce((s, c) => s + c.acked.size, 0);
      // A node keeps answering /readyz (with Redis reported) while Redis is away.
      await new Promise((r) => setTimeout(r, OUTAGE_MS - 3000));
      const readyDuringOutage = await fetch(`${a.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));
      const ackedDuring = customers.reduce((s, c) => s + c.acked.size, 0) - ackedBefore;
      const sentDuring = customers.reduce((s, c) => s + c.generated.length, 0) - sentBefore;
      const outageLatencies = customers.flatMap((c) => c.latencies.slice(-5));
      await redis.start();
      const upAt = Date.now();

      // Messages were accepted and stored the whole time: acknowledgements kept coming.
      expect(ackedDuring).toBeGreaterThanOrEqual(sentDuring - customers.length * 2);

      // Cross-node events resume: messages sent on A after Redis returns reach the agent on B.
      // (What was broadcast while a node's subscriber was away is lost to pub/sub: that node
      // then has its sockets reconnect and resync from the database.)
      const markers: string[] = [];
      const marking = setInterval(() => {
        const m = `after redis returned #${markers.length}`;
        markers.push(m);
        customers[0]!.send(m);
      }, 500);
      const crossNodeMs = await eventually(() => markers.some((m) => heardByAgent.has(m)), 60_000, "the agent on node B hears node A again")
        .finally(() => clearInterval(marking))
        .catch((err) => {
          for (const c of [a, b]) console.error(`--- ${c.name} (last 3000 characters)\n${c.output().slice(-3000)}`);
          console.error(`agent connected: ${agent.connected}; customer 0 acknowledged the marker: ${customers[0]!.unacknowledged === 0}`);
          console.error(
            `redis up at ${upAt}; agent last heard: ${JSON.stringify(Object.fromEntries([...lastHeard].map(([k, t]) => [k, t - upAt])))}`,
          );
          for (const args of [
            ["pubsub", "numpat"],
            ["pubsub", "channels"],
            ["client", "list"],
          ]) {
            console.error(`redis ${args.join(" ")}:\n${execFileSync("redis-cli", ["-p", String(redis.port), ...args]).toString()}`);
          }
          throw err;
        });
      clearInterval(chat);
      await eventually(() => customers.every((c) => c.unacknowledged === 0), 30_000, "every message acknowledged");

      // Jobs resume: every customer message of a bot-owned conversation gets exactly one reply.
      const jobsMs = await eventually(
        async () => (await readLedger(databaseUrl, customers)).botReplies.every((r) => r.replies >= 1),
        90_000,
        "every customer message answered by the assistant",
      );
      const ledger = await readLedger(databaseUrl, customers);
      expect(lostOrDoubled(ledger, customers)).toEqual([]);
      expect(ledger.botReplies.filter((r) => r.replies !== 1)).toEqual([]);
      expect(ledger.pendingConversations).toBeGreaterThan(0);
      const failures = customers.flatMap((c) => c.failures);
      console.info(
        [
          `redis outage ${OUTAGE_MS} ms: ${sentDuring} messages sent during it, ${ackedDuring} acknowledged during it`,
          `/readyz during the outage: ${readyDuringOutage.status} ${JSON.stringify(readyDuringOutage.body)}`,
          `ack p95 (last 5 per customer) ${percentile(outageLatencies, 95)} ms; failed attempts ${failures.length} (${[...new Set(failures.map((f) => f.code))].join(",")})`,
          `after Redis returned: cross-node events again after ${crossNodeMs} ms (agent socket asked to resync ${agentResyncs} time(s)), every job done ${Date.now() - upAt} ms after (${jobsMs} ms of waiting for the last ones)`,
          `stored ${ledger.stored.size} customer messages, ${ledger.botReplies.length} bot-owned ones each answered once (${ledger.pendingConversations} conversations with the bot)`,
        ].join("\n"),
      );
      // Both nodes lost their subscriber and ask their sockets to resync once it is
      // back (a second after it reconnects, and ioredis retries every <= 2 s): wait for
      // it rather than read the logs at once, which raced it in earlier runs.
      const resync = /"msg":"redis subscriber reconnected/;
      await Promise.all([a.waitFor(resync, 10_000), b.waitFor(resync, 10_000)]);
      await expect.poll(() => agentResyncs, { timeout: 10_000 }).toBeGreaterThan(0);
      console.info(`both nodes asked their sockets to resync; the agent on B reconnected ${agentResyncs} time(s)`);
    } finally {
      clearInterval(chat);
    }
  }, 240_000);
});
