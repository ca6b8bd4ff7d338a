import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, readJsonl } from "../lib/data.ts";
import { SHARED_DATA } from "../public.ts";

/**
 * `bankdesk sentiment` throughput (issue #15: over 5,000 lines a second): the CLI as a
 * user runs it, JSON lines on stdin → JSON lines on stdout, timed from spawn to exit,
 * so start-up (tsx, OpenCC's tables, jieba's dictionary) is included. Two inputs:
 * our own sentiment set (short chat messages, half English half Chinese) repeated, and,
 * when ../shared is present, the public English and Chinese sets (longer texts).
 */
export const LINES = 100_000;

async function runCli(input: string): Promise<{ ms: number; lines: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "server/cli/bin.mjs"), "sentiment"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let lines = 0;
  child.stdout.on("data", (b: Buffer) => {
    for (const c of b) if (c === 10) lines++;
  });
  child.stdin.end(input);
  await new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`bankdesk sentiment exited ${code}`))));
  });
  return { ms: performance.now() - t0, lines };
}

function repeatTo(texts: string[], n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.stringify({ text: texts[i % texts.length] }));
  return out.join("\n") + "\n";
}

export async function runSentimentBench(): Promise<void> {
  console.log(`bankdesk sentiment (${LINES.toLocaleString("en")} JSON lines through the CLI, start-up included)`);
  const inputs: Array<[string, string[]]> = [
    ["own set (chat messages, EN + ZH)", readJsonl<{ text: string }>("sentiment.jsonl").map((r) => r.text)],
  ];
  for (const f of ["en-social-val.jsonl", "zh-reviews-dev.jsonl"]) {
    const abs = path.join(SHARED_DATA, "sentiment", f);
    if (fs.existsSync(abs)) inputs.push([`public ${f}`, readJsonl<{ text: string }>(abs).map((r) => r.text)]);
  }
  // Start-up alone (one line of each script), to give the rate once running as well.
  const start = await runCli(repeatTo(["你好, hello"], 1));
  console.log(
    `  start-up (one line, EN + ZH loaded)    ${(start.ms / 1000).toFixed(2)} s; machine load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
  );
  for (const [name, texts] of inputs) {
    const r = await runCli(repeatTo(texts, LINES));
    const rate = Math.round((r.lines / r.ms) * 1000);
    const running = Math.round(((r.lines - 1) / Math.max(1, r.ms - start.ms)) * 1000);
    console.log(
      `  ${name.padEnd(38)} ${rate.toLocaleString("en")} lines/s (${r.lines} in ${(r.ms / 1000).toFixed(2)} s); once started ${running.toLocaleString("en")} lines/s`,
    );
  }
}
