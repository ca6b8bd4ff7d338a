import readline from "node:readline";

/**
 * Reads JSON lines `{"text": ...}` from stdin and writes one JSON line per input
 * line, in order, through a buffered writer (thousands of lines a second). A line
 * that is not valid gets `{"text":null,"error":...}` and the stream goes on.
 */
export async function mapJsonLines(handle: (text: string) => Promise<Record<string, unknown>>, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let buffer: string[] = [];
  let n = 0;
  const flush = async () => {
    if (!buffer.length) return;
    const chunk = buffer.join("");
    buffer = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
  };
  for await (const line of rl) {
    if (!line.trim()) continue;
    let out: Record<string, unknown>;
    try {
      const parsed = JSON.parse(line) as { text?: unknown };
      if (typeof parsed?.text !== "string" || !parsed.text.trim()) throw new Error('each line needs a non-empty "text" string');
      out = await handle(parsed.text);
    } catch (err) {
      out = { text: null, error: (err as Error).message };
    }
    buffer.push(JSON.stringify(out) + "\n");
    n++;
    if (buffer.length >= 200) await flush();
  }
  await flush();
  return n;
}
