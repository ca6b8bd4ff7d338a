import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startChildServer, stopAllChildren, type ChildServer } from "../helpers/childServer.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fakeOpenAI.ts";
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./privateServers.ts";
import { SimulatedCustomer, eventually } from "./SimulatedCustomer.ts";
import { clusterEnv, removeClusterDirs } from "./faultCluster.ts";

/**
 * A worker killed (SIGKILL) in the middle of a job: BullMQ's stalled-job check in
 * another worker puts the job back, that worker runs it, and its effect (the bot's
 * reply) is stored once. The job is held mid-way by an LLM (a local fake
 * OpenAI-compatible server) that does not answer the first request.
 *
 * Lock 3 s and stalled check every 1 s (QUEUE_LOCK_DURATION_MS,
 * QUEUE_STALLED_INTERVAL_MS) instead of BullMQ's 30 s and 30 s, so the test takes
 * seconds; production keeps the defaults.
 */
describe("a worker killed mid-job", () => {
  let pgServer: PrivatePostgres;
  let redis: PrivateRedis;
  let fake: FakeOpenAI;
  let databaseUrl: string;
  let env: Record<string, string>;
  let node: ChildServer;
  let customer: SimulatedCustomer | undefined;
  let chatRequests = 0;

  beforeAll(async () => {
    [pgServer, redis, fake] = await Promise.all([startPrivatePostgres(), startPrivateRedis(), startFakeOpenAI()]);
    fake.script(() => {
      chatRequests++;
      // The first worker gets no answer: it is killed while waiting for it.
      if (chatRequests === 1) return { hang: true };
      return { content: "A replacement card costs ¥10 [1] and arrives in 5–7 working days [1].", chunkDelayMs: 5 };
    });
    databaseUrl = await pgServer.createDatabase("bd_worker_crash");
    env = clusterEnv(databaseUrl, redis.url, {
      OPENAI_BASE_URL: `${fake.url}/v1`,
      OPENAI_API_KEY: "test",
      OPENAI_MODEL: "fake-model",
      QUEUE_LOCK_DURATION_MS: "3000",
      QUEUE_STALLED_INTERVAL_MS: "1000",
    });
    node = await startChildServer({ name: "node", services: "web,realtime", env: { ...env, DEMO_SEED: "true" } });
  }, 120_000);

  afterAll(async () => {
    customer?.close();
    await stopAllChildren();
    await fake?.close();
    await redis?.destroy();
    await pgServer?.destroy();
    removeClusterDirs();
  }, 60_000);

  it("is retried by another worker and its effect happens once", async () => {
    const first = await startChildServer({ name: "worker-1", services: "worker", env });
    customer = await SimulatedCustomer.start("crash", node.url!);
    const clientId = customer.send("How much does a replacement card cost?");
    await eventually(() => customer!.acked.has(clientId), 10_000, "the message acknowledged");
    const messageId = customer.acked.get(clientId)!;

    // Worker 1 has the job and is waiting on the model.
    await eventually(() => chatRequests >= 1, 30_000, "worker 1 starts the job");
    const second = await startChildServer({ name: "worker-2", services: "worker", env });
    expect(chatRequests).toBe(1); // still held by worker 1 (its lock is renewed)

    await first.kill();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const replies = () =>
        db.query<{ id: string; content: string }>("SELECT id, content FROM messages WHERE client_id = $1", [`bot:${messageId}`]);
      const recoveredMs = await eventually(async () => (await replies()).rows.length > 0, 30_000, "the reply after the crash");
      // Let any second run (there must be none) finish before counting.
      await new Promise((r) => setTimeout(r, 3000));
      const { rows } = await replies();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.content).toContain("A replacement card costs ¥10");
      expect(chatRequests).toBe(2); // killed attempt + the retry by worker 2
      const failed = await db.query("SELECT name, error FROM failed_jobs");
      expect(failed.rows).toEqual([]);
      expect(second.exited).toBe(false);
      console.info(
        `worker killed mid-job: reply stored once by worker 2, ${recoveredMs} ms after the SIGKILL (lock 3 s, stalled check 1 s)`,
      );
    } finally {
      await db.end();
    }
  }, 180_000);
});
