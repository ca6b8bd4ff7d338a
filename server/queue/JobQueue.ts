/**
 * The job queue interface. BullMQ on Redis (several processes), the database
 * queue of the embedded mode (no Redis); both survive a crash. The in-process
 * runner serves one-shot CLI commands and the evaluation, where nothing outlives
 * the process. All retry with exponential backoff and record jobs that exhaust
 * their attempts in the `failed_jobs` table.
 */
export interface JobOptions {
  /** Deduplicates: a job with the same id already waiting or running is not added again. */
  jobId?: string;
  attempts?: number;
  /** First retry delay in ms; doubles each attempt. */
  backoffMs?: number;
  delayMs?: number;
}

export interface JobInfo {
  id: string;
  name: string;
  attemptsMade: number;
}

export type JobHandler<T = unknown> = (data: T, job: JobInfo) => Promise<void>;

export interface JobDefaults extends Pick<JobOptions, "attempts" | "backoffMs"> {
  /**
   * Jobs of one lane run one at a time across the whole deployment, in the order
   * they were queued. For work that contends for the same rows anyway (assigning
   * a team's queue): run concurrently, such jobs only wait on each other's row
   * locks while holding the worker slots other jobs need.
   */
  lane?: string;
}

export interface JobQueue {
  readonly kind: "bullmq" | "database" | "in-process";
  /** Adds a job; resolves once it is durably queued (BullMQ, database) or scheduled (in-process). */
  enqueue<T>(name: string, data: T, options?: JobOptions): Promise<void>;
  /** Handlers run only in a process that called `startWorker`. */
  register<T>(name: string, handler: JobHandler<T>, defaults?: JobDefaults): void;
  startWorker(): Promise<void>;
  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type FailureRecorder = (failure: {
  queue: string;
  name: string;
  jobId: string;
  data: unknown;
  error: string;
  attempts: number;
}) => Promise<void>;

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 500;
