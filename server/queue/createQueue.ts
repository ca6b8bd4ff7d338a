import type { Database } from "../db/Database.ts";
import type { Logger } from "../logger.ts";
import type { FailureRecorder, JobQueue } from "./JobQueue.ts";
import { InProcessQueue } from "./InProcessQueue.ts";
import { BullQueue } from "./BullQueue.ts";

export const QUEUE_NAME = "bankdesk";

/** BullMQ when Redis is configured, the in-process runner otherwise. */
export function createQueue(opts: {
  redisUrl?: string;
  db: Database;
  logger: Logger;
  queueName?: string;
  /** BullMQ only: how fast a job of a crashed worker is handed to another one. */
  stalled?: { lockDurationMs?: number; stalledIntervalMs?: number };
  /** BullMQ only: jobs run at once by this process's worker. */
  concurrency?: number;
}): JobQueue {
  const recordFailure: FailureRecorder = async (f) => {
    opts.logger.error({ job: f.name, jobId: f.jobId, attempts: f.attempts, error: f.error }, "job failed for good");
    await opts.db.query("INSERT INTO failed_jobs (queue, name, job_id, data, error, attempts) VALUES ($1, $2, $3, $4, $5, $6)", [
      f.queue,
      f.name,
      f.jobId,
      JSON.stringify(f.data ?? null),
      f.error,
      f.attempts,
    ]);
  };
  const onError = (err: unknown, job: { name: string; id: string; attempt: number }) =>
    opts.logger.warn({ err, job: job.name, jobId: job.id, attempt: job.attempt }, "job attempt failed");
  return opts.redisUrl
    ? new BullQueue(opts.redisUrl, opts.queueName ?? QUEUE_NAME, recordFailure, onError, opts.concurrency, opts.stalled)
    : new InProcessQueue(recordFailure, onError);
}
