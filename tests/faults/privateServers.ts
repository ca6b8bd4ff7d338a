import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPostgres } from "../../server/db/postgres.ts";
import { migrate } from "../../server/db/migrate.ts";

/**
 * Private PostgreSQL and Redis servers for the fault tests. The tests stop and
 * restart these, so they must never be the shared servers other engineers' tests
 * use (127.0.0.1:5432 and :6379): each one runs on a free port from a temp dir.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not within ${ms} ms`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops Redis. `save`: write its data to disk first (as a Redis with persistence keeps it). */
  stop(opts?: { save?: boolean }): Promise<void>;
  /** Starts it again on the same port and directory (loading the saved data, if any). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  destroy(): Promise<void>;
}

/** `redis-server --port <free> --save "" --appendonly no` in a temp directory. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-redis-"));
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: "ignore",
    });
    await waitUntil(() => portOpen(port), 10_000, `private redis on ${port}`);
  };
  const stop = async (opts: { save?: boolean } = {}) => {
    if (!proc || proc.exitCode !== null) return;
    const p = proc;
    const exited = new Promise((r) => p.once("exit", r));
    // SHUTDOWN SAVE writes dump.rdb even with `--save ""`; SHUTDOWN NOSAVE loses everything.
    try {
      execFileSync("redis-cli", ["-p", String(port), "shutdown", opts.save ? "save" : "nosave"], { stdio: "ignore", timeout: 10_000 });
    } catch {
      // redis-cli reports the dropped connection as an error: the server is going away.
    }
    const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(t);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    destroy: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A new database with the extensions and migrations in place. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/**
 * A throwaway PostgreSQL cluster: initdb into a temp dir, trust auth, on a free
 * port. PostgreSQL refuses to run as root, so as root the cluster is owned by and
 * run as the `postgres` OS user (runuser). The system's pgvector is available to it.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  fs.chmodSync(dir, 0o755);
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args], { stdio: "pipe", timeout: 60_000 })
      : execFileSync(path.join(PG_BIN, bin), args, { stdio: "pipe", timeout: 60_000 });
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-o", opts, "-w", "-t", "30", "start"]);
  };
  const stop = async () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
    } catch {
      // already stopped
    }
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    start,
    stop,
    async createDatabase(name: string) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const dbUrl = `postgres://postgres@127.0.0.1:${port}/${name}`;
      const db = await openPostgres(dbUrl, 2);
      await migrate(db);
      await db.close();
      return dbUrl;
    },
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
