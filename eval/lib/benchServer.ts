/**
 * The server under a bench, as child processes (`bankdesk start`, so their RSS and
 * CPU are their own), and how the benches read a process's RSS and CPU from /proc.
 * Shared by `npm run bench:load` (eval/bench/load.ts) and the message-path bench
 * (eval/bench/messagePath.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { ROOT } from "./data.ts";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : NaN);

/** A distinct client address per customer (the server trusts X-Forwarded-For from loopback): per-IP limits are per customer, as in production. */
export const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** A Socket.IO client connected over WebSocket (no reconnection: a bench counts what it loses). */
export async function connectSocket(url: string, opts: Parameters<typeof connect>[1]): Promise<Socket> {
  const socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false, ...opts });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/**
 * Customer `i` of a bench: a widget session on the website inbox and its socket, from an
 * address of its own as in production (per-address limits): ipOf(i + 1).
 */
export async function connectWidgetCustomer(url: string, i: number): Promise<Socket> {
  const res = await fetch(`${url}/api/v1/widget/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ipOf(i + 1) },
    body: JSON.stringify({ inbox: "website" }),
  });
  if (res.status !== 201) throw new Error(`widget session ${i}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return connectSocket(`${url}/widget`, { auth: { token }, extraHeaders: { "x-forwarded-for": ipOf(i + 1) } });
}

/** RSS of a process and its descendants, in MB (the server runs as `node bin.mjs` with tsx's loader in-process). */
export function treeRssMb(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(d));
    } catch {
      // gone
    }
  }
  let kb = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return Math.round(kb / 1024);
}

/** CPU seconds (user + system) used so far by a process and its descendants. */
export function treeCpuSeconds(rootPid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const children = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), fields);
      const ppid = Number(fields[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(d));
    } catch {
      // gone
    }
  }
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    const f = stats.get(pid);
    if (f) total += (Number(f[11]) + Number(f[12])) / tick; // utime, stime
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * CPU seconds used so far by every process with this command name (postgres,
 * redis-server) on the machine, counting children that have exited: PostgreSQL's
 * backends come and go with the pool's connections, and the postmaster's cutime and
 * cstime hold what the reaped ones used (without them the figure could go negative).
 */
export function namedCpuSeconds(comm: string): number {
  let total = 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, "utf8").trim() !== comm) continue;
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100; // utime, stime, cutime, cstime
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * The node under load: `bankdesk start` as child processes. With `workers` 0 one process
 * runs every service; otherwise it runs web and realtime only, and that many processes
 * run the worker service (`--services worker`) beside it, on the same machine.
 */
export class Server {
  children: ChildProcess[] = [];
  url = "";
  stderr: string[] = [];

  get pids(): number[] {
    return this.children.map((c) => c.pid!);
  }

  /** `env`: more of the server's configuration (REDIS_URL "" for the embedded mode...). */
  async start(databaseUrl: string, workers: number, extraEnv: Record<string, string> = {}) {
    // LOAD_PORT: a port of its own on a machine shared with others' servers (random otherwise).
    const port = process.env.LOAD_PORT ?? String(40000 + Math.floor(Math.random() * 10000));
    this.url = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `bdload_${crypto.randomBytes(3).toString("hex")}`,
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? "warn",
      KNOWLEDGE_WATCH: "false",
      SECRET_KEY: crypto.randomBytes(32).toString("hex"),
      ...extraEnv,
    };
    // The server logs (pino, JSON lines) go to stdout: kept to count and show errors,
    // and written whole to LOAD_SERVER_OUT when set (with e.g. LOAD_SERVER_NODE_ARGS=--trace-gc).
    const out = process.env.LOAD_SERVER_OUT ? fs.createWriteStream(process.env.LOAD_SERVER_OUT) : undefined;
    const keep = (d: Buffer) => {
      out?.write(d);
      this.stderr.push(d.toString());
      if (this.stderr.length > 2000) this.stderr.shift();
    };
    // LOAD_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes.
    const nodeArgs = (process.env.LOAD_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    const spawnNode = (services: string[], extra: Record<string, string>) => {
      const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "server/cli/bin.mjs"), "start", ...services], {
        cwd: ROOT,
        env: { ...env, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-load-")), ...extra },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      this.children.push(child);
      return child;
    };
    const web = spawnNode(workers ? ["--services", "web,realtime"] : [], { PORT: port, DEMO_SEED: "true" });
    const t0 = Date.now();
    const ready = async () => {
      try {
        return (await fetch(`${this.url}/readyz`)).status === 200;
      } catch {
        return false; // not listening yet
      }
    };
    while (Date.now() - t0 < 180_000 && !(await ready())) {
      if (web.exitCode !== null) throw new Error(`the server exited (${web.exitCode}):\n${this.stderr.join("").slice(-2000)}`);
      await sleep(200);
    }
    if (!(await ready())) {
      let last = "";
      try {
        const r = await fetch(`${this.url}/readyz`);
        last = `/readyz answered ${r.status} ${await r.text()}`;
      } catch (err) {
        last = `/readyz unreachable: ${(err as Error).message}`;
      }
      throw new Error(`the server was not ready within 180 s (${last}):\n${this.stderr.join("").slice(-2000)}`);
    }
    // A worker has no port: it is ready when it says it started (an info line, whatever LOAD_LOG_LEVEL says).
    await Promise.all(
      Array.from({ length: workers }, async () => {
        const w = spawnNode(["--services", "worker"], { LOG_LEVEL: "info" });
        let said = "";
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`a worker did not start within 120 s:\n${said.slice(-2000)}`)), 120_000);
          const listen = (d: Buffer) => {
            said += d.toString();
            if (!said.includes('"msg":"BankDesk started"')) return;
            clearTimeout(timer);
            w.stdout!.off("data", listen);
            resolve();
          };
          w.stdout!.on("data", listen);
          w.once("exit", (code) => reject(new Error(`a worker exited (${code}):\n${said.slice(-2000)}`)));
        });
      }),
    );
    return { readyMs: Date.now() - t0 };
  }

  /** The errors the server logged, grouped by message and cause, so a flood of one error reads as one line. */
  printErrors() {
    const errors = this.stderr
      .join("")
      .split("\n")
      .filter((l) => /"level":(50|60)|error/i.test(l));
    const kinds = new Map<string, number>();
    for (const l of errors) {
      let key = l.slice(0, 200);
      try {
        const j = JSON.parse(l) as { msg?: string; job?: string; err?: { message?: string } };
        key = `${j.msg ?? ""}${j.job ? ` (${j.job})` : ""}: ${j.err?.message ?? ""}`.slice(0, 200);
      } catch {
        // not JSON
      }
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    console.log(`\nserver errors logged: ${errors.length}`);
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${n} × ${k}`);
  }

  async stop() {
    const running = this.children.filter((c) => c.exitCode === null);
    for (const c of running) c.kill("SIGTERM");
    await Promise.race([Promise.all(running.map((c) => new Promise((r) => c.once("exit", r)))), sleep(15_000)]);
    for (const c of running) if (c.exitCode === null) c.kill("SIGKILL");
  }
}
