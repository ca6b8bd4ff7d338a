import crypto from "node:crypto";
import { statement, type Database } from "../db/Database.ts";
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

interface QueuedJobRow {
  id: string;
  seq: string;
  name: string;
  data: unknown;
  attempts_made: number;
  attempts: number | null;
  backoff_ms: number | null;
  run_at: Date;
}

const ENQUEUE = statement(
  `INSERT INTO queued_jobs (id, name, data, attempts, backoff_ms, run_at)
   VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
   ON CONFLICT (id) DO NOTHING`,
);
/** Due jobs nobody holds (or whose holder's lease ran out), leased to this process. */
const CLAIM = statement(
  `UPDATE queued_jobs q SET locked_until = now() + $2 * interval '1 millisecond'
   FROM (SELECT id FROM queued_jobs
         WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY run_at, seq LIMIT $1 FOR UPDATE SKIP LOCKED) due
   WHERE q.id = due.id
   RETURNING q.id, q.seq, q.name, q.data, q.attempts_made, q.attempts, q.backoff_ms, q.run_at`,
);
const DONE = statement("DELETE FROM queued_jobs WHERE id = $1");
const RETRY = statement(
  `UPDATE queued_jobs SET attempts_made = $2, run_at = now() + $3 * interval '1 millisecond', locked_until = NULL WHERE id = $1`,
);
const RENEW = statement(`UPDATE queued_jobs SET locked_until = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::text[])`);

/**
 * How often an idle worker looks for jobs it was not told about: queued by
 * another process on the same database (a CLI command) or left by one that died.
 * Jobs this process queues, and its own retries, wake it at once.
 */
const POLL_MS = 2_000;

/**
 * The job queue of the embedded mode (no Redis): jobs live in the database
 * (`queued_jobs`), so a crash or kill -9 loses none; they run when the process
 * starts again (security finding 11; tests/faults/embeddedCrash). Same contract
 * as BullMQ: at-least-once with retries and exponential backoff, dedupe by
 * jobId while a job is queued or running, lanes, failures recorded.
 *
 * A running job is leased (`locked_until`), and the lease renewed while it
 * runs, so a second process on the same PostgreSQL never runs it twice and
 * takes it over if its holder dies. The embedded database belongs to one
 * process: there, leases left by the previous run are released at start.
 */
export class DatabaseQueue implements JobQueue {
  readonly kind = "database" as const;
  private readonly handlers = new Map<string, Registered>();
  private readonly inFlight = new Set<string>();
  private started = false;
  private closed = false;
  private pumping = false;
  private pumpAgain = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private renewTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  /** A lane's jobs run one after another. */
  private readonly lanes = new Lanes();

  constructor(
    private readonly db: Database,
    private readonly recordFailure: FailureRecorder,
    private readonly onError: (err: unknown, job: { name: string; id: string; attempt: number }) => void = () => {},
    private readonly opts: { concurrency: number; leaseMs: number } = { concurrency: 16, leaseMs: 30_000 },
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
    if (this.started) return;
    this.started = true;
    // The embedded database has one process: whatever it held when it died is free.
    if (this.db.kind === "pglite") await this.db.query("UPDATE queued_jobs SET locked_until = NULL WHERE locked_until IS NOT NULL");
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(500, this.opts.leaseMs / 2));
    this.renewTimer.unref();
    this.wake(0);
  }

  async enqueue<T>(name: string, data: T, options: JobOptions = {}) {
    if (this.closed) throw new Error("queue is closed");
    const id = options.jobId ?? `${name}:${crypto.randomUUID()}`;
    const delay = options.delayMs ?? 0;
    await this.db.query(ENQUEUE, [id, name, JSON.stringify(data ?? null), options.attempts ?? null, options.backoffMs ?? null, delay]);
    this.wake(delay);
  }

  /** Looks for due jobs in `ms` (sooner if already due to look sooner). */
  private wake(ms: number) {
    if (!this.started || this.closed) return;
    const at = Date.now() + ms;
    if (this.wakeTimer && at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      void this.pump();
    }, ms);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.opts.concurrency - this.inFlight.size;
        if (free <= 0 || this.closed) break;
        const { rows } = await this.db.query<QueuedJobRow>(CLAIM, [free, this.opts.leaseMs]);
        rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || Number(a.seq) - Number(b.seq));
        for (const row of rows) {
          this.inFlight.add(row.id);
          void this.run(row);
        }
        if (rows.length === free) this.pumpAgain = true;
      } while (this.pumpAgain);
    } catch (err) {
      this.onError(err, { name: "(claim)", id: "-", attempt: 0 });
    } finally {
      this.pumping = false;
      this.wake(POLL_MS);
      this.notifyIfIdle();
    }
  }

  private async run(row: QueuedJobRow) {
    const reg = this.handlers.get(row.name);
    const attempts = row.attempts ?? reg?.attempts ?? DEFAULT_ATTEMPTS;
    const backoff = row.backoff_ms ?? reg?.backoffMs ?? DEFAULT_BACKOFF_MS;
    try {
      if (!reg) throw new Error(`no handler registered for job "${row.name}"`);
      await this.lanes.run(reg.lane, () => reg.handler(row.data, { id: row.id, name: row.name, attemptsMade: row.attempts_made }));
      await this.db.query(DONE, [row.id]);
    } catch (err) {
      const made = row.attempts_made + 1;
      this.onError(err, { name: row.name, id: row.id, attempt: made });
      await this.settleFailure(row, err, made, attempts, backoff).catch((e) =>
        this.onError(e, { name: row.name, id: row.id, attempt: made }),
      );
    } finally {
      this.inFlight.delete(row.id);
      if (!this.closed) void this.pump();
      this.notifyIfIdle();
    }
  }

  /** A failed attempt: queued again after its backoff, or recorded in failed_jobs and removed. */
  private async settleFailure(row: QueuedJobRow, err: unknown, made: number, attempts: number, backoff: number) {
    if (made < attempts) {
      const delay = backoff * 2 ** (made - 1);
      await this.db.query(RETRY, [row.id, made, delay]);
      this.wake(delay);
      return;
    }
    await this.recordFailure({
      queue: "database",
      name: row.name,
      jobId: row.id,
      data: row.data,
      error: err instanceof Error ? err.message : String(err),
      attempts: made,
    });
    await this.db.query(DONE, [row.id]);
  }

  private async renewLeases() {
    if (this.inFlight.size === 0) return;
    await this.db
      .query(RENEW, [[...this.inFlight], this.opts.leaseMs])
      .catch((err) => this.onError(err, { name: "(lease)", id: "-", attempt: 0 }));
  }

  private notifyIfIdle() {
    if (this.idleWaiters.length === 0 || this.inFlight.size > 0 || this.pumping) return;
    // Nothing runs here; whether anything is still queued is the database's to say.
    void this.db
      .query<{ queued: boolean }>("SELECT EXISTS (SELECT 1 FROM queued_jobs) AS queued")
      .then(({ rows }) => {
        if (rows[0]?.queued || this.inFlight.size > 0 || this.pumping) return;
        for (const w of this.idleWaiters.splice(0)) w();
      })
      .catch(() => {});
  }

  /** Resolves when nothing is queued or running; a process that runs no worker has nothing to wait for. */
  drain(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        clearInterval(recheck);
        resolve();
      };
      const timer = setTimeout(() => {
        clearInterval(recheck);
        this.idleWaiters = this.idleWaiters.filter((w) => w !== waiter);
        reject(new Error("queue did not drain in time"));
      }, timeoutMs);
      // Also look now and then: a delayed job or a retry may be all that is left.
      const recheck = setInterval(() => this.notifyIfIdle(), 50);
      this.idleWaiters.push(waiter);
      this.notifyIfIdle();
    });
  }

  async close() {
    this.closed = true;
    clearTimeout(this.wakeTimer);
    clearInterval(this.renewTimer);
    // Jobs running now finish (up to 5 s); everything still queued stays in the database for the next start.
    const deadline = Date.now() + 5000;
    while ((this.inFlight.size > 0 || this.pumping) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
