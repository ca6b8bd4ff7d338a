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
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (closed) break;
      lines++;
      let out: Record<string, unknown>;
      try {
        if (!line.trim()) throw new Error("empty line");
        const parsed: unknown = JSON.parse(line);
        const text = (parsed as { text?: unknown } | null)?.text;
        if (typeof text !== "string") throw new Error('expected an object with a string "text"');
        out = await fn(text, parsed as Record<string, unknown>);
      } catch (err) {
        errors++;
        out = {
          text: null,
          error: err instanceof SyntaxError ? `invalid JSON: ${err.message}` : err instanceof Error ? err.message : String(err),
        };
      }
      buffer += JSON.stringify(out) + "\n";
      if (buffer.length >= FLUSH_AT) await flush();
    }
    await flush();
  } finally {
    rl.close();
  }
  if (failure) throw failure;
  return { lines, errors };
}
