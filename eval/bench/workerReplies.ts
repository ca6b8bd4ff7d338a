/**
 * `npm run bench -- worker-replies`: how many bot replies a second one worker process
 * gives, and what each costs, on PostgreSQL + Redis (DATABASE_URL and REDIS_URL: a
 * scratch database beside DATABASE_URL's, dropped at the end).
 *
 * BankDesk runs as in production: web+realtime in one `bankdesk start`, a worker in
 * another. --customers widget customers each open a conversation (answered before
 * anything is measured: the worker's caches, prepared statements and JIT are warm).
 * Then, --rounds times: the worker is stopped (SIGSTOP), every customer sends one more
 * question (stored, acknowledged, its reply job queued in Redis), the worker is
 * continued (SIGCONT), and the round is timed until every question's reply has
 * reached its customer's socket. A reply is matched to its question by `replyTo`.
 *
 * Per round it prints replies a second, and per reply: the worker's CPU, the
 * transactions PostgreSQL committed in the scratch database (pg_stat_database: an
 * autocommitted statement is one, a BEGIN…COMMIT block is one), and the CPU of every
 * postgres and redis-server process on the machine (other users of them count too).
 * Then whether every reply was stored once.
 *
 * The worker runs at nice 0 here (WORKER_NICE; --nice N to change): its capacity is
 * the figure, not how it yields to a web process beside it.
 *
 * Flags: --customers N (1000) --rounds R (3) --nice N (0)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import pg from "pg";
import type { Socket } from "socket.io-client";
import { readJsonl } from "../lib/data.ts";
import { connectWidgetCustomer, namedCpuSeconds, pool, Server, sleep, treeCpuSeconds } from "../lib/benchServer.ts";

interface Options {
  customers: number;
  rounds: number;
  nice: number;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string, def: number, min = 1) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : def;
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${argv[i + 1]}`);
    return v;
  };
  return { customers: flag("customers", 1000), rounds: flag("rounds", 3), nice: flag("nice", 0, 0) };
}

type Ack = { ok: boolean; message?: { id: string; conversationId: string }; error?: { code: string } };
type Live = { sender: { type: string }; attributes?: { replyTo?: string; kind?: string } };

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** Transactions committed or rolled back in one database so far (each backend reports its own when idle, within about 10 s). */
async function transactions(admin: pg.Client, dbName: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1", [
    dbName,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/** The count once it stopped moving: PostgreSQL's backends flush their statistics when idle, at most once a second. */
async function settledTransactions(admin: pg.Client, dbName: string, maxMs = 15_000): Promise<number> {
  const start = Date.now();
  let last = await transactions(admin, dbName);
  for (;;) {
    await sleep(2000);
    // This client's own statements are in another database (DATABASE_URL's): they do not count here.
    const now = await transactions(admin, dbName);
    if (now === last || Date.now() - start > maxMs) return now;
    last = now;
  }
}

/** Waits (at most `maxMs`) until a process uses under 5 % of a core over a second. */
async function idle(pid: number, maxMs = 60_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const before = treeCpuSeconds(pid);
    await sleep(1000);
    if (treeCpuSeconds(pid) - before < 0.05 || Date.now() - start > maxMs) return;
  }
}

export async function runWorkerRepliesBench(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const base = process.env.DATABASE_URL;
  if (!base || !process.env.REDIS_URL) throw new Error("the worker-replies bench needs DATABASE_URL and REDIS_URL (PostgreSQL + Redis)");
  const fdLimit = Number(fs.readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/)?.[1] ?? 0);
  if (fdLimit && fdLimit < opts.customers + 500)
    throw new Error(`ulimit -n is ${fdLimit}: too low for ${opts.customers} sockets (raise it with ulimit -n 65536)`);

  const dbName = `bankdesk_replies_${Date.now()}_${crypto.randomBytes(2).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const server = new Server();
  const sockets: Socket[] = [];
  let workerPid: number | undefined;
  try {
    console.log(
      `Bot replies of one worker process (PostgreSQL + Redis; web+realtime and a worker at nice ${opts.nice}; ` +
        `${os.cpus().length} cores; load average ${loadAverage()})`,
    );
    await server.start(u.toString(), 1, { WORKER_NICE: String(opts.nice) });
    workerPid = server.pids[1]!;
    const questions = [...readJsonl<{ text: string }>("retrieval-a.jsonl"), ...readJsonl<{ text: string }>("retrieval-b.jsonl")].map(
      (q) => q.text,
    );

    // Replies owed, by the question's id; a reply that comes resolves its question.
    const owed = new Map<string, () => void>();
    const conversations: string[] = [];
    const handedOff = new Set<number>();
    await pool(
      Array.from({ length: opts.customers }, (_, i) => i),
      50,
      async (i) => {
        const socket = await connectWidgetCustomer(server.url, i);
        socket.on("message", (m: Live) => {
          if (m.sender.type !== "bot") return;
          // A handed-off conversation is the agents': the bot answers nothing more there.
          if (m.attributes?.kind === "handoff") handedOff.add(i);
          const id = m.attributes?.replyTo;
          if (id) owed.get(id)?.();
        });
        sockets[i] = socket;
      },
    );
    let asked = 0;
    /** Customer i's next question; resolves when it is acknowledged, with a promise of its reply. */
    const ask = async (i: number): Promise<{ id: string; reply: Promise<void> }> => {
      const n = asked++;
      const ack = (await sockets[i]!.timeout(10_000).emitWithAck("message:send", {
        conversationId: conversations[i],
        clientId: `wr-${n}`,
        content: questions[n % questions.length]!,
      })) as Ack;
      if (!ack.ok || !ack.message) throw new Error(`question ${n} refused: ${ack.error?.code ?? "unknown"}`);
      conversations[i] ??= ack.message.conversationId;
      const id = ack.message.id;
      return { id, reply: new Promise<void>((resolve) => owed.set(id, resolve)) };
    };
    // A reply can come before its question's acknowledgement is handled: its resolver is set on the ack.
    // The worker is stopped while questions are asked, so that cannot happen in a round; while opening it
    // can, and the first replies are only waited for in bulk (the worker idle), not one by one.
    const t0 = performance.now();
    await pool(
      Array.from({ length: opts.customers }, (_, i) => i),
      50,
      async (i) => void (await ask(i)),
    );
    await idle(workerPid);
    owed.clear();
    console.log(
      `  ${opts.customers} customers connected, their conversations opened and answered in ${Math.round(performance.now() - t0)} ms`,
    );

    const replyIds: string[] = [];
    const results: Array<{ perSecond: number; xacts: number; workerMs: number; postgresMs: number; redisMs: number }> = [];
    for (let round = 1; round <= opts.rounds; round++) {
      await idle(workerPid);
      process.kill(workerPid, "SIGSTOP");
      let replies: Array<Promise<void>>;
      try {
        const asking = Array.from({ length: opts.customers }, (_, i) => i).filter((i) => !handedOff.has(i));
        const asked = await Promise.all(asking.map((i) => ask(i)));
        replies = asked.map((a) => a.reply);
        replyIds.push(...asked.map((a) => a.id));
        // Their jobs are queued by the web process after each acknowledgement: let it finish.
        await idle(server.pids[0]!);
      } catch (err) {
        process.kill(workerPid, "SIGCONT");
        throw err;
      }
      const xacts0 = await settledTransactions(admin, dbName);
      const cpu0 = { worker: treeCpuSeconds(workerPid), postgres: namedCpuSeconds("postgres"), redis: namedCpuSeconds("redis-server") };
      const start = performance.now();
      process.kill(workerPid, "SIGCONT");
      const all = Promise.all(replies);
      let answered = 0;
      for (const r of replies) void r.then(() => answered++);
      const done = await Promise.race([all.then(() => true), sleep(180_000).then(() => false)]);
      const seconds = (performance.now() - start) / 1000;
      const cpu1 = { worker: treeCpuSeconds(workerPid), postgres: namedCpuSeconds("postgres"), redis: namedCpuSeconds("redis-server") };
      if (!done) throw new Error(`round ${round}: ${answered} of ${replies.length} replies came within 180 s`);
      const xacts = (await settledTransactions(admin, dbName)) - xacts0;
      const n = replies.length;
      const r = {
        perSecond: n / seconds,
        xacts: xacts / n,
        workerMs: ((cpu1.worker - cpu0.worker) * 1000) / n,
        postgresMs: ((cpu1.postgres - cpu0.postgres) * 1000) / n,
        redisMs: ((cpu1.redis - cpu0.redis) * 1000) / n,
      };
      results.push(r);
      console.log(
        `  round ${round}: ${n} replies (${opts.customers - n} customers handed off earlier) in ${seconds.toFixed(2)} s = ${Math.round(r.perSecond)} replies/s; per reply: ` +
          `${r.xacts.toFixed(2)} transactions, worker CPU ${r.workerMs.toFixed(2)} ms, postgres CPU ${r.postgresMs.toFixed(2)} ms, ` +
          `redis CPU ${r.redisMs.toFixed(2)} ms (load average ${loadAverage()})`,
      );
    }
    const median = (k: keyof (typeof results)[number]) => {
      const v = results.map((r) => r[k]).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)]!;
    };
    console.log(
      `  median of ${results.length}: ${Math.round(median("perSecond"))} replies/s; per reply ${median("xacts").toFixed(2)} transactions, ` +
        `worker CPU ${median("workerMs").toFixed(2)} ms, postgres CPU ${median("postgresMs").toFixed(2)} ms, redis CPU ${median("redisMs").toFixed(2)} ms`,
    );
    // Stored once each: counted in the scratch database, through a client of its own.
    const scratch = new pg.Client({ connectionString: u.toString() });
    await scratch.connect();
    try {
      const stored = await scratch.query<{ stored: number; distinct: number }>(
        `SELECT count(*)::int AS stored, count(DISTINCT content_attributes->>'replyTo')::int AS distinct FROM messages
         WHERE sender_type = 'bot' AND content_attributes->>'replyTo' = ANY($1::text[])`,
        [replyIds],
      );
      const s = stored.rows[0]!;
      console.log(`  replies stored: ${s.stored} for ${s.distinct} of ${replyIds.length} questions (${s.stored - s.distinct} duplicated)`);
    } finally {
      await scratch.end();
    }
    server.printErrors();
    console.log(`load average at the end ${loadAverage()}`);
  } finally {
    if (workerPid) {
      try {
        process.kill(workerPid, "SIGCONT");
      } catch {
        // exited
      }
    }
    for (const s of sockets) s?.close();
    await server.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
