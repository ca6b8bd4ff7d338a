import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/testDatabase.ts";
import { createQueue } from "../../server/queue/createQueue.ts";
import { createLogger } from "../../server/logger.ts";
import type { Database } from "../../server/db/Database.ts";
import type { JobQueue } from "../../server/queue/JobQueue.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const backends: Array<["in-process" | "bullmq", string | undefined]> = [["in-process", undefined]];
if (process.env.REDIS_URL) backends.push(["bullmq", process.env.REDIS_URL]);

describe.each(backends)("job queue: %s", (kind, redisUrl) => {
  let queue: JobQueue;
  beforeAll(async () => {
    queue = createQueue({ redisUrl, db, logger: createLogger("silent"), queueName: `bdtest_q_${crypto.randomBytes(4).toString("hex")}` });
  });
  afterAll(() => queue?.close());

  it(`is the ${kind} implementation`, () => {
    expect(queue.kind).toBe(kind);
  });

  it("retries a failing job with backoff until it succeeds", async () => {
    const attempts: number[] = [];
    queue.register<{ n: number }>(
      "flaky",
      async (_data, job) => {
        attempts.push(Date.now());
        if (job.attemptsMade < 2) throw new Error("transient");
      },
      { attempts: 4, backoffMs: 50 },
    );
    await queue.startWorker();
    await queue.enqueue("flaky", { n: 1 });
    await queue.drain(15_000);
    expect(attempts).toHaveLength(3);
    // Exponential backoff: the second wait is at least the first.
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(attempts[1]! - attempts[0]! - 20);
  });

  it("records a job that exhausts its attempts in failed_jobs", async () => {
    queue.register(
      "doomed",
      async () => {
        throw new Error("always broken");
      },
      { attempts: 2, backoffMs: 20 },
    );
    const marker = crypto.randomUUID();
    await queue.enqueue("doomed", { marker });
    await queue.drain(15_000);
    // BullMQ's failed event is asynchronous to drain; give it a moment.
    let rows: Array<{ error: string; attempts: number }> = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = (
        await db.query<{ error: string; attempts: number }>("SELECT error, attempts FROM failed_jobs WHERE data->>'marker' = $1", [marker])
      ).rows;
      if (!rows.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toEqual([{ error: "always broken", attempts: 2 }]);
  });

  it("runs a job with a given id once even when enqueued twice", async () => {
    let runs = 0;
    queue.register("once", async () => {
      await new Promise((r) => setTimeout(r, 100));
      runs++;
    });
    await Promise.all([queue.enqueue("once", {}, { jobId: "once-1" }), queue.enqueue("once", {}, { jobId: "once-1" })]);
    await queue.drain(15_000);
    expect(runs).toBe(1);
  });
});
