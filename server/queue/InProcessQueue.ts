import { Lanes } from "./Lanes.ts";
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

/**
 * Runs jobs in this process's memory, for one-shot CLI commands and the
 * evaluation, where nothing outlives the process anyway. Same contract as BullMQ:
 * retries with exponential backoff, dedupe by jobId, failures recorded. A server
 * never uses it: without Redis its jobs live in the database (DatabaseQueue).
 */
export class InProcessQueue implements JobQueue {
  readonly kind = "in-process" as const;
  private readonly handlers = new Map<string, Registered>();
  private readonly active = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private seq = 0;
  private started = false;
  private closed = false;
  private readonly backlog: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  /** A lane's jobs run one after another. */
  private readonly lanes = new Lanes();

  constructor(
    private readonly recordFailure: FailureRecorder,
    private readonly onError: (err: unknown, job: { name: string; id: string; attempt: number }) => void = () => {},
  ) {}

  register<T>(name: string, handler: JobHandler<T>, defaults: JobDefaults = {}) {
    this.handlers.set(name, {
      handler: handler as JobHandler,
      attempts: defaults.attempts ?? DEFAULT_ATTEMPTS,
      backoffMs: defaults.backoffMs ?? DEFAULT_BACKOFF_MS,
      lane: defaults.lane,
    });
  }

  async startWorker() {
    this.started = true;
    for (const run of this.backlog.splice(0)) run();
  }

  async enqueue<T>(name: string, data: T, options: JobOptions = {}) {
    if (this.closed) throw new Error("queue is closed");
    const id = options.jobId ?? `${name}:${++this.seq}`;
    if (this.active.has(id)) return;
    this.active.add(id);
    const run = () => this.schedule(name, id, data, 0, options, options.delayMs ?? 0);
    if (this.started) run();
    else this.backlog.push(run);
  }

  private schedule(name: string, id: string, data: unknown, attemptsMade: number, options: JobOptions, delay: number) {
    this.running++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.execute(name, id, data, attemptsMade, options);
    }, delay);
    this.timers.add(timer);
  }

  private async execute(name: string, id: string, data: unknown, attemptsMade: number, options: JobOptions) {
    const reg = this.handlers.get(name);
    const attempts = options.attempts ?? reg?.attempts ?? DEFAULT_ATTEMPTS;
    const backoff = options.backoffMs ?? reg?.backoffMs ?? DEFAULT_BACKOFF_MS;
    try {
      if (!reg) throw new Error(`no handler registered for job "${name}"`);
      await this.lanes.run(reg.lane, () => reg.handler(data, { id, name, attemptsMade }));
      this.active.delete(id);
    } catch (err) {
      const made = attemptsMade + 1;
      this.onError(err, { name, id, attempt: made });
      if (made < attempts && !this.closed) {
        this.running--;
        this.schedule(name, id, data, made, options, backoff * 2 ** (made - 1));
        return;
      }
      this.active.delete(id);
      await this.recordFailure({
        queue: "in-process",
        name,
        jobId: id,
        data,
        error: err instanceof Error ? err.message : String(err),
        attempts: made,
      }).catch((e) => this.onError(e, { name, id, attempt: made }));
    }
    this.running--;
    if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  drain(timeoutMs = 10_000): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("queue did not drain in time")), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async close() {
    this.closed = true;
    await this.drain(5000).catch(() => {});
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
