import { Queue, Worker, type ConnectionOptions, type JobType } from "bullmq";
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type FailureRecorder,
  type JobDefaults,
  type JobHandler,
  type JobOptions,
  type JobQueue,
} from "./JobQueue.ts";

interface Registered {
  handler: JobHandler;
  attempts: number;
  backoffMs: number;
  lane: string | undefined;
}

function connectionFromUrl(redisUrl: string): ConnectionOptions {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === "rediss:" ? {} : undefined,
    // BullMQ workers block on Redis; they must keep retrying while Redis is away.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    // Reconnect every ≤ 2 s while Redis is away. BullMQ's own strategy backs off to
    // 20 s, so after a 30 s outage jobs waited up to 15 s more (tests/faults).
    retryStrategy: (times: number) => Math.min(times * 250, 2000),
  };
}

/**
 * BullMQ on Redis: jobs survive restarts and are shared by every worker process.
 * A lane (JobDefaults.lane) is a BullMQ queue of its own, `<name>.<lane>`, with a
 * global concurrency of 1: every worker process serves it, one job at a time in all.
 */
export class BullQueue implements JobQueue {
  readonly kind = "bullmq" as const;
  private readonly queue: Queue;
  private readonly lanes = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private started = false;
  private readonly handlers = new Map<string, Registered>();
  private readonly connection: ConnectionOptions;

  constructor(
    redisUrl: string,
    private readonly name: string,
    private readonly recordFailure: FailureRecorder,
    private readonly onError: (err: unknown, job: { name: string; id: string; attempt: number }) => void = () => {},
    private readonly concurrency = 8,
    /** Stalled-job recovery (see QUEUE_LOCK_DURATION_MS in config.ts); BullMQ's defaults when omitted. */
    private readonly stalled: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
  ) {
    this.connection = connectionFromUrl(redisUrl);
    this.queue = new Queue(name, { connection: this.connection });
    this.queue.on("error", () => {}); // reconnects by itself; enqueue errors reach the caller
  }

  register<T>(name: string, handler: JobHandler<T>, defaults: JobDefaults = {}) {
    this.handlers.set(name, {
      handler: handler as JobHandler,
      attempts: defaults.attempts ?? DEFAULT_ATTEMPTS,
      backoffMs: defaults.backoffMs ?? DEFAULT_BACKOFF_MS,
      lane: defaults.lane,
    });
    if (defaults.lane && !this.lanes.has(defaults.lane)) {
      const lane = new Queue(`${this.name}.${defaults.lane}`, { connection: this.connection });
      lane.on("error", () => {});
      this.lanes.set(defaults.lane, lane);
      if (this.started) void this.startLaneWorker(lane).catch(() => {});
    }
  }

  async enqueue<T>(name: string, data: T, options: JobOptions = {}) {
    const reg = this.handlers.get(name);
    const queue = (reg?.lane && this.lanes.get(reg.lane)) || this.queue;
    await queue.add(name, data, {
      jobId: options.jobId?.replace(/:/g, "_"),
      attempts: options.attempts ?? reg?.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: "exponential", delay: options.backoffMs ?? reg?.backoffMs ?? DEFAULT_BACKOFF_MS },
      delay: options.delayMs,
      // Gone from Redis once finished, so that its id is free again (JobOptions.jobId: only a
      // job waiting or running holds it). Kept, a finished job held its id for an hour (a
      // failed one for a week) and the unanswered-question sweep's re-queue of a reply lost
      // to a database crash or outage was silently dropped. Failures stay in failed_jobs.
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async startWorker() {
    if (this.started) return;
    this.started = true;
    await Promise.all([
      this.startQueueWorker(this.name, this.concurrency),
      ...[...this.lanes.values()].map((lane) => this.startLaneWorker(lane)),
    ]);
  }

  private async startLaneWorker(lane: Queue) {
    await lane.setGlobalConcurrency(1);
    await this.startQueueWorker(lane.name, 1);
  }

  private async startQueueWorker(queueName: string, concurrency: number) {
    const worker = new Worker(
      queueName,
      async (job) => {
        const reg = this.handlers.get(job.name);
        if (!reg) throw new Error(`no handler registered for job "${job.name}"`);
        await reg.handler(job.data, { id: job.id ?? "", name: job.name, attemptsMade: job.attemptsMade });
      },
      {
        connection: this.connection,
        concurrency,
        ...(this.stalled.lockDurationMs ? { lockDuration: this.stalled.lockDurationMs } : {}),
        ...(this.stalled.stalledIntervalMs ? { stalledInterval: this.stalled.stalledIntervalMs } : {}),
      },
    );
    this.workers.push(worker);
    worker.on("error", () => {});
    worker.on("failed", (job, err) => {
      if (!job) return;
      this.onError(err, { name: job.name, id: job.id ?? "", attempt: job.attemptsMade });
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void this.recordFailure({
          queue: queueName,
          name: job.name,
          jobId: job.id ?? "",
          data: job.data,
          error: err.message,
          attempts: job.attemptsMade,
        }).catch(() => {});
      }
    });
    await worker.waitUntilReady();
  }

  async drain(timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.counts("waiting", "active", "delayed", "prioritized");
      if (Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`queue did not drain in time: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Counts by state over the queue and its lanes, for /readyz and the console. */
  async counts(...states: JobType[]) {
    const all = await Promise.all([this.queue, ...this.lanes.values()].map((q) => q.getJobCounts(...states)));
    const sum: Record<string, number> = {};
    for (const c of all) for (const [state, n] of Object.entries(c)) sum[state] = (sum[state] ?? 0) + n;
    return sum;
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([this.queue, ...this.lanes.values()].map((q) => q.close()));
  }
}
