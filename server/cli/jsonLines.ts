import { once } from "node:events";
import readline from "node:readline";

/** JSON lines in, JSON lines out: the batch contract of kb search, chat, classify and sentiment. */

const FLUSH_AT = 64 * 1024;

/**
 * Reads JSON lines from `input`, calls `fn` with each line's "text" and writes
 * `fn`'s result as a JSON line to `output`. A line that is not JSON, has no string
 * "text", or makes `fn` throw produces {"text": null, "error": "..."} instead, and
 * processing continues; so does a blank line ("empty line"), which keeps output
 * line N answering input line N. Output is buffered and honours
 * back-pressure; a closed pipe (e.g. `| head`) ends the run quietly.
 */
export async function mapJsonLines(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  /** Called with the line's "text" and the whole parsed line (for other fields such as "conversation"). */
  fn: (text: string, line: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>,
  opts: {
    /**
     * When `batch` is given it is called instead of `fn`, with up to `batchSize` good lines
     * at a time in order (a model reads many texts in one call); output keeps input order,
     * and a batch that throws gives each of its lines the error.
     */
    batchSize?: number;
    batch?: (items: Array<{ text: string; line: Record<string, unknown> }>) => Promise<Array<Record<string, unknown>>>;
  } = {},
): Promise<{ lines: number; errors: number }> {
  let closed = false;
  let failure: Error | undefined;
  // Stays attached: a write error can surface after the last write returned.
  output.on("error", (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== "EPIPE") failure ??= err;
  });
  let buffer = "";
  const flush = async () => {
    if (!buffer || closed) return;
    const ok = output.write(buffer);
    buffer = "";
    // once() rejects when "error" fires while waiting; the listener above records it.
    if (!ok && !closed) await Promise.race([once(output, "drain"), once(output, "close")]).catch(() => {});
  };

  let lines = 0;
  let errors = 0;
  const errorLine = (err: unknown) => {
    errors++;
    return {
      text: null,
      error: err instanceof SyntaxError ? `invalid JSON: ${err.message}` : err instanceof Error ? err.message : String(err),
    };
  };
  // Lines waiting for their batch: parsed ones, or the error a bad line already produced.
  const size = opts.batch ? Math.max(1, opts.batchSize ?? 1) : 1;
  let pending: Array<{ text: string; line: Record<string, unknown> } | { error: Record<string, unknown> }> = [];
  const runBatch = async () => {
    const items = pending.filter((p): p is { text: string; line: Record<string, unknown> } => "text" in p);
    let outs: Array<Record<string, unknown>> = [];
    try {
      outs = items.length ? await opts.batch!(items) : [];
    } catch (err) {
      outs = items.map(() => errorLine(err));
    }
    let i = 0;
    for (const p of pending) buffer += JSON.stringify("text" in p ? outs[i++] : p.error) + "\n";
    pending = [];
  };
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (closed) break;
      lines++;
      let parsedLine: { text: string; line: Record<string, unknown> } | undefined;
      let out: Record<string, unknown> | undefined;
      try {
        if (!line.trim()) throw new Error("empty line");
        const parsed: unknown = JSON.parse(line);
        const text = (parsed as { text?: unknown } | null)?.text;
        if (typeof text !== "string") throw new Error('expected an object with a string "text"');
        parsedLine = { text, line: parsed as Record<string, unknown> };
        if (!opts.batch) out = await fn(text, parsedLine.line);
      } catch (err) {
        out = errorLine(err);
      }
      if (opts.batch) {
        pending.push(out ? { error: out } : parsedLine!);
        if (pending.length >= size) await runBatch();
      } else buffer += JSON.stringify(out) + "\n";
      if (buffer.length >= FLUSH_AT) await flush();
    }
    if (pending.length && !closed) await runBatch();
    await flush();
  } finally {
    rl.close();
  }
  if (failure) throw failure;
  return { lines, errors };
}
