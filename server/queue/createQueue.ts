import type { Database } from "../db/Database.ts";
import { redactStrings, redactText } from "../privacy/redact.ts";
import type { Logger } from "../logger.ts";
import type { FailureRecorder, JobQueue } from "./JobQueue.ts";
import { DatabaseQueue } from "./DatabaseQueue.ts";
import { BullQueue } from "./BullQueue.ts";

export const QUEUE_NAME = "bankdesk";

/** BullMQ when Redis is configured, the database queue otherwise. */
export function createQueue(opts: {
  redisUrl?: string;
  db: Database;
  logger: Logger;
  queueName?: string;
  /** How fast a job of a crashed worker is handed to another one (BullMQ's lock; the database queue's lease). */
  stalled?: { lockDurationMs?: number; stalledIntervalMs?: number };
  /** Jobs run at once by this process's worker. */
  concurrency?: number;
}): JobQueue {
  const recordFailure = failureRecorder(opts.db, opts.logger);
  const onError = (err: unknown, job: { name: string; id: string; attempt: number }) =>
    opts.logger.warn({ err, job: job.name, jobId: job.id, attempt: job.attempt }, "job attempt failed");
  return opts.redisUrl
    ? new BullQueue(opts.redisUrl, opts.queueName ?? QUEUE_NAME, recordFailure, onError, opts.concurrency, opts.stalled)
    : new DatabaseQueue(opts.db, recordFailure, onError, {
        concurrency: opts.concurrency ?? 16,
        leaseMs: opts.stalled?.lockDurationMs ?? 30_000,
      });
}

/**
 * Writes a job that exhausted its attempts to failed_jobs (and the log), for an
 * admin to look at: its data and error with card, ID and phone numbers masked
 * (security finding 5), as everywhere outside the message store.
 */
export function failureRecorder(db: Database, logger: Logger): FailureRecorder {
  return async (f) => {
    logger.error({ job: f.name, jobId: f.jobId, attempts: f.attempts, error: f.error }, "job failed for good");
    await db.query("INSERT INTO failed_jobs (queue, name, job_id, data, error, attempts) VALUES ($1, $2, $3, $4, $5, $6)", [
      f.queue,
      f.name,
      f.jobId,
      JSON.stringify(redactStrings(f.data ?? null)),
      redactText(f.error).text,
      f.attempts,
    ]);
  };
}
