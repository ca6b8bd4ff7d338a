import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const BIN = path.resolve(import.meta.dirname, "../../server/cli/bin.mjs");
const ROOT = path.resolve(import.meta.dirname, "../..");
const MAX_OUTPUT = 400_000;

/** A BankDesk process started through the real CLI (`bankdesk start --services ...`). */
export interface ChildServer {
  name: string;
  proc: ChildProcess;
  /** http://127.0.0.1:<port> for processes that run web or realtime. */
  url?: string;
  /** Everything the process wrote to stdout and stderr (the last 400 KB). */
  output(): string;
  /** Resolves with the first match of `re` in the output (already written or to come). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (a crash). */
  kill(): Promise<void>;
  exited: boolean;
}

const running = new Set<ChildServer>();
// Backstop: a test runner that dies must not leave servers behind.
process.once("exit", () => {
  for (const c of running) c.proc.kill("SIGKILL");
});

/**
 * Starts `node server/cli/bin.mjs start --services <services> --port 0` with the
 * given environment and waits until it is up: for web/realtime until it prints its
 * address, for a worker until it logs "BankDesk started" (LOG_LEVEL must be info or
 * lower, which this sets unless `env` says otherwise).
 */
export async function startChildServer(opts: {
  name: string;
  services: string;
  env: Record<string, string | undefined>;
  startTimeoutMs?: number;
  /** A fixed port (a restarted server keeps its address, so clients reconnect); a free one by default. */
  port?: number;
}): Promise<ChildServer> {
  const env = { ...process.env, LOG_LEVEL: "info", ...opts.env } as NodeJS.ProcessEnv;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  // Vitest's own variables would make the child think it is a test worker.
  for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k === "NODE_OPTIONS") delete env[k];
  const proc = spawn(process.execPath, [BIN, "start", "--services", opts.services, "--port", String(opts.port ?? 0)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT);
    for (const w of watchers) w();
  };
  proc.stdout!.on("data", append);
  proc.stderr!.on("data", append);
  const exit = new Promise<void>((resolve) => proc.once("exit", () => resolve()));

  const child: ChildServer = {
    name: opts.name,
    proc,
    exited: false,
    output: () => out,
    waitFor(re, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) return done(() => resolve(m));
          if (child.exited) return done(() => reject(new Error(`${opts.name} exited before printing ${re}:\n${out.slice(-4000)}`)));
        };
        const done = (f: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          f();
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${opts.name}: no ${re} within ${ms} ms:\n${out.slice(-4000)}`))), ms);
        watchers.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exited) return;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(t);
    },
    async kill() {
      if (child.exited) return;
      proc.kill("SIGKILL");
      await exit;
    },
  };
  void exit.then(() => {
    child.exited = true;
    running.delete(child);
    for (const w of watchers) w();
  });
  running.add(child);

  try {
    const ms = opts.startTimeoutMs ?? 60_000;
    if (/web|realtime/.test(opts.services)) {
      const m = await child.waitFor(/Agent console:\s+http:\/\/[^:/]+:(\d+)\//, ms);
      child.url = `http://127.0.0.1:${m[1]}`;
    } else {
      await child.waitFor(/"msg":"BankDesk started"/, ms);
    }
  } catch (err) {
    await child.kill();
    throw err;
  }
  return child;
}

/** Stops every child still running (SIGTERM, then SIGKILL), in parallel. */
export async function stopAllChildren(graceMs = 10_000): Promise<void> {
  await Promise.all([...running].map((c) => c.stop(graceMs)));
}
