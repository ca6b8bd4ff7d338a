/**
 * One self-rewriting status line for long CLI work (`kb sync`, re-embedding,
 * `migrate`): "Syncing articles 120/480 (25 %), about 42 s left". Drawn on stderr so
 * stdout keeps only the command's result, and only on a terminal: in a pipe, a CI log
 * or a file, carriage returns would leave a wall of half-lines, so it prints nothing.
 */

export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressLine {
  /** `done` of `total` finished; call with 0 at the start so the estimate counts from then. */
  update(done: number, total: number): void;
  /** Clears the line, so the command's summary starts on a clean one. */
  finish(): void;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Milliseconds clock (tests). */
  now?: () => number;
  /** Least time between redraws; the last step is always drawn. */
  intervalMs?: number;
}

const CLEAR_LINE = "\r\x1b[2K";

export function progressLine(label: string, opts: ProgressOptions = {}): ProgressLine {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return { update: () => {}, finish: () => {} };
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? 100;
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      if (total <= 0) return;
      const t = now();
      if (done < total && t - lastDraw < intervalMs) return;
      lastDraw = t;
      drawn = true;
      stream.write(`${CLEAR_LINE}${label} ${done}/${total} (${Math.floor((done / total) * 100)} %), ${eta(done, total, t - started)}`);
    },
    finish() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** Time left at the average pace so far; nothing to go on before the first step. */
function eta(done: number, total: number, elapsedMs: number): string {
  if (done >= total) return "done";
  if (done === 0) return "estimating time left";
  return `about ${formatDuration(((total - done) * elapsedMs) / done)} left`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
