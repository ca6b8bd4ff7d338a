import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../lib/data.ts";

export interface StartupFigures {
  mode: string;
  readyMs: number;
  rssIdleMb: number;
}

/**
 * Starts `bankdesk start` as a user would (fresh data directory), measures the time
 * until /readyz answers 200 and the process's RSS after 10 s idle.
 */
export async function measureStartup(mode: "embedded" | "postgres", env: Record<string, string> = {}): Promise<StartupFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-bench-"));
  const port = String(40000 + Math.floor(Math.random() * 10000));
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, "server/cli/bin.mjs"), "start"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: port, LOG_LEVEL: "warn", KNOWLEDGE_WATCH: "false", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    let readyMs = -1;
    while (Date.now() - t0 < 120_000) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (r.status === 200) {
          readyMs = Date.now() - t0;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (readyMs < 0) throw new Error(`${mode}: not ready within 120 s`);
    await new Promise((r) => setTimeout(r, 10_000));
    const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { mode, readyMs, rssIdleMb: Math.round(rssKb / 1024) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
