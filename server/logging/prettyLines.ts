import pino from "pino";

/**
 * Human-readable log lines for a terminal: `12:03:04.512 INFO  BankDesk started services=web,realtime`.
 *
 * It reformats the JSON line pino has already produced, so everything the logger
 * does before serialising (removing secret keys, masking card numbers in every
 * string) applies to both formats alike. Synchronous on purpose: a worker thread
 * transport could lose the last lines of a crashing process, and a terminal is slow
 * enough already.
 */

/** Fields every record carries that a reader at a terminal does not need on each line. */
const QUIET_FIELDS = new Set(["time", "level", "msg", "pid", "hostname", "service"]);

const LEVEL_COLOURS: Record<string, string> = {
  fatal: "\x1b[41m",
  error: "\x1b[31m",
  warn: "\x1b[33m",
  info: "\x1b[32m",
  debug: "\x1b[36m",
  trace: "\x1b[90m",
};

export interface Writable {
  write(chunk: string): unknown;
}

export interface PrettyOptions {
  /** ANSI colour for the level; only for a real terminal. */
  colour?: boolean;
}

/** A pino destination that writes each JSON record to `out` as one readable line. */
export function prettyDestination(out: Writable, opts: PrettyOptions = {}): pino.DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line) out.write(formatRecord(line, opts) + "\n");
    },
  };
}

export function formatRecord(jsonLine: string, opts: PrettyOptions = {}): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return oneLine(jsonLine);
  }
  const label = pino.levels.labels[Number(record.level)] ?? String(record.level);
  const level = label.toUpperCase().padEnd(5);
  const parts = [
    formatTime(record.time),
    opts.colour ? `${LEVEL_COLOURS[label] ?? ""}${level}\x1b[0m` : level,
    oneLine(typeof record.msg === "string" ? record.msg : ""),
  ];
  for (const [key, value] of Object.entries(record)) {
    if (QUIET_FIELDS.has(key) || value === undefined) continue;
    parts.push(`${key}=${formatValue(key, value)}`);
  }
  return parts.filter(Boolean).join(" ");
}

function formatTime(time: unknown): string {
  const d = typeof time === "number" ? new Date(time) : new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function formatValue(key: string, value: unknown): string {
  // An error's stack spans many lines; its type, message and the frame that threw are enough here.
  if (key === "err" && value && typeof value === "object") {
    const e = value as { type?: string; message?: string; stack?: string };
    const where = e.stack
      ?.split("\n")
      .find((l) => l.trim().startsWith("at "))
      ?.trim();
    return quote(`${e.type ?? "Error"}: ${e.message ?? ""}${where ? ` (${where})` : ""}`);
  }
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.join(",");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Bare when unambiguous, JSON-quoted when it holds spaces, quotes, `=` or control characters. */
function quote(s: string): string {
  return s !== "" && /^[^\s"=\\\p{Cc}]+$/u.test(s) ? s : JSON.stringify(s);
}

/** A message with line breaks would split the record over several lines. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\r\n\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
