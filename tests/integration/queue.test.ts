import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/testDatabase.ts";
import { createQueue, failureRecorder } from "../../server/queue/createQueue.ts";
import { InProcessQueue } from "../../server/queue/InProcessQueue.ts";
import { createLogger } from "../../server/logger.ts";
import type { Database } from "../../server/db/Database.ts";
import type { JobQueue } from "../../server/queue/JobQueue.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const backends: Array<["database" | "in-process" | "bullmq", string | undefined]> = [
  ["database", undefined],
  ["in-process", undefined],
];
if (process.env.REDIS_URL) backends.push(["bullmq", process.env.REDIS_URL]);

describe.each(backends)("job queue: %s", (kind, redisUrl) => {
  let queue: JobQueue;
  beforeAll(async () => {
    const logger = createLogger("silent");
    queue =
      kind === "in-process"
        ? new InProcessQueue(failureRecorder(db, logger), () => {})
        : createQueue({ redisUrl, db, logger, queueName: `bdtest_q_${crypto.randomBytes(4).toString("hex")}` });
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
    // Exponential backoff: the first retry waits at least 50 ms, the second at least 100 ms.
    // Only lower bounds: a busy machine makes either wait longer (a first wait of 124 ms
    // and a second of 181 ms failed a comparison of the two), never shorter. 5 ms for clocks.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(50 - 5);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(100 - 5);
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
    await queue.enqueue("doomed", { marker, note: "card 4111 1111 1111 1111" });
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
    // Kept for admins with card numbers masked (security finding 5).
    const kept = await db.query<{ note: string }>("SELECT data->>'note' AS note FROM failed_jobs WHERE data->>'marker' = $1", [marker]);
    expect(kept.rows[0]!.note).toBe("card [card ****1111]");
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

  it("runs a job with a given id again once the first has finished, done or failed", async () => {
    const runs: string[] = [];
    queue.register<{ fail: boolean }>(
      "again",
      async ({ fail }) => {
        runs.push(fail ? "failed" : "done");
        if (fail) throw new Error("broken");
      },
      { attempts: 1 },
    );
    await queue.enqueue("again", { fail: false }, { jobId: "again-1" });
    await queue.drain(15_000);
    await queue.enqueue("again", { fail: true }, { jobId: "again-1" });
    await queue.drain(15_000);
    // BullMQ removes a failed job a moment after drain sees it gone from the active list.
    for (let i = 0; i < 5; i++) {
      await queue.enqueue("again", { fail: false }, { jobId: "again-1" });
      await queue.drain(15_000);
      if (runs.length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs).toEqual(["done", "failed", "done"]);
  });

  it("runs a lane's jobs one at a time, in the order queued, beside other jobs", async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    let freeRan = false;
    queue.register<{ n: number }>(
      "laned",
      async ({ n }) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        order.push(n);
        running--;
      },
      { lane: "serial" },
    );
    queue.register("free", async () => {
      // Not in the lane: does not wait for the lane's jobs to finish.
      freeRan = order.length < 6;
    });
    for (let n = 0; n < 6; n++) await queue.enqueue("laned", { n });
    await queue.enqueue("free", {});
    await queue.drain(15_000);
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(freeRan).toBe(true);
  });
});
