/**
 * `npm run bench:load`: one BankDesk node under customer load, on the real
 * PostgreSQL and Redis (DATABASE_URL and REDIS_URL required).
 *
 * The tool creates a scratch database next to DATABASE_URL's (dropped at the end),
 * starts the node's `bankdesk start` processes on it as child processes (so the
 * server's RSS and CPU are their own), opens N widget connections and signs in A
 * agents with console sockets, then has the customers send R messages per second
 * in total for D seconds with the offline assistant answering. It reports messages sent, acknowledged and
 * stored (counted in the database: none lost, none duplicated), send→ack latency
 * (p50/p95/p99), send→bot reply latency on the customer's socket (p50/p95, matched
 * to the question by the reply's replyTo), the server's RSS over time, and errors.
 *
 *   npm run bench:load -- --connections 500 --rate 50 --duration 60
 *   npm run bench:load -- --find-max            # steps the rate up until a target is missed
 *
 * Flags (or env LOAD_CONNECTIONS, LOAD_AGENTS, LOAD_RATE, LOAD_DURATION, LOAD_WARMUP, LOAD_WORKERS):
 *   --connections N (2000)  --agents A (50)  --rate R msg/s (100)  --duration D s (300)
 *   --warmup W s (30: sent at the rate before the measured D s, reported apart; 0 for none)
 *   --workers N (1): web and realtime in one process, the worker service (the assistant's
 *     replies and every other job) in N processes of their own beside it, as in production
 *     (README, Production); 0 runs every service in one process. A Node.js process uses one
 *     core: on two cores, one process spends its event loop on sockets and jobs in turn.
 *   --find-max  --step-duration S s (60)
 *   --max-rate R (1000)  --keep-db
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import { ROOT, percentile, readJsonl } from "../lib/data.ts";
import { ipOf, namedCpuSeconds, pool, round, Server, sleep, treeCpuSeconds, treeRssMb } from "../lib/benchServer.ts";

interface Options {
  connections: number;
  agents: number;
  rate: number;
  duration: number;
  warmup: number;
  findMax: boolean;
  stepDuration: number;
  maxRate: number;
  keepDb: boolean;
  workers: number;
}

/** Targets of issue #7: p95 send→ack under 150 ms, p95 bot reply under 500 ms, nothing lost. */
const ACK_P95_TARGET = 150;
const REPLY_P95_TARGET = 500;

function parseOptions(argv: string[]): Options {
  const flag = (name: string, env: string, def: number, zeroOk = false) => {
    const i = argv.indexOf(`--${name}`);
    const raw = i >= 0 ? argv[i + 1] : process.env[env];
    const v = raw === undefined ? def : Number(raw);
    if (!Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk)) throw new Error(`--${name} must be a positive number, got ${raw}`);
    return v;
  };
  return {
    connections: Math.round(flag("connections", "LOAD_CONNECTIONS", 2000)),
    agents: Math.round(flag("agents", "LOAD_AGENTS", 50)),
    rate: flag("rate", "LOAD_RATE", 100),
    duration: flag("duration", "LOAD_DURATION", 300),
    warmup: flag("warmup", "LOAD_WARMUP", 30, true),
    findMax: argv.includes("--find-max"),
    stepDuration: flag("step-duration", "LOAD_STEP_DURATION", 60),
    maxRate: flag("max-rate", "LOAD_MAX_RATE", 1000),
    keepDb: argv.includes("--keep-db"),
    workers: flag("workers", "LOAD_WORKERS", 1, true),
  };
}

interface Customer {
  socket: Socket;
  conversationId?: string;
  /** Acknowledged messages still waiting for the bot's answer, by message id: when sent, and in which window. */
  waiting: Map<string, { sentAt: number; window: Window }>;
  /**
   * Bot answers that arrived before their question's acknowledgement (the answer
   * travels another way, through the job queue and the Redis adapter), by question id.
   */
  early: Map<string, number>;
}

interface Window {
  sent: number;
  acked: number;
  refused: Record<string, number>;
  timeouts: number;
  ackMs: number[];
  replyMs: number[];
  /** When each reply's question was sent (performance.now()), beside replyMs: latency over time shows stalls. */
  replySentAt: number[];
  /** Conversations the assistant handed to a person (it answers no more there). */
  handoffs: number;
  clientIds: Set<string>;
}

const newWindow = (): Window => ({
  sent: 0,
  acked: 0,
  refused: {},
  timeouts: 0,
  ackMs: [],
  replyMs: [],
  replySentAt: [],
  handoffs: 0,
  clientIds: new Set(),
});

/** p95 bot reply per 10 s of sending, by when the question was sent: steady queueing or stalls. */
function replyP95Over(w: Window, start: number, seconds: number): string[] {
  const out: string[] = [];
  for (let from = 0; from < seconds; from += 10) {
    const ms = w.replyMs.filter((_, i) => {
      const t = (w.replySentAt[i]! - start) / 1000;
      return t >= from && t < from + 10;
    });
    out.push(`${from}:${ms.length ? Math.round(percentile(ms, 95)) : "-"}`);
  }
  return out;
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const base = process.env.DATABASE_URL;
  if (!base || !process.env.REDIS_URL) {
    console.error("bench:load needs DATABASE_URL (PostgreSQL with pgvector) and REDIS_URL: it measures one node on the real servers.");
    process.exit(2);
  }
  const fdLimit = Number(fs.readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/)?.[1] ?? 0);
  if (fdLimit && fdLimit < opts.connections + opts.agents + 500) {
    console.error(`ulimit -n is ${fdLimit}: too low for ${opts.connections} connections (raise it with ulimit -n 65536)`);
    process.exit(2);
  }

  const dbName = `bankdesk_load_${Date.now()}_${crypto.randomBytes(2).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  const server = new Server();
  const customers: Customer[] = [];
  const agentSockets: Socket[] = [];
  let db: pg.Client | undefined;
  let exitCode = 0;
  // Interrupted (Ctrl-C): stop the server and drop the scratch database before leaving.
  process.once("SIGINT", () => {
    console.log("\ninterrupted: stopping the server and dropping the scratch database");
    void Promise.all([server.stop(), db?.end().catch(() => {})])
      .then(() => admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`))
      .catch(() => {})
      .finally(() => process.exit(130));
  });
  try {
    console.log(
      `Load: ${opts.connections} widget connections, ${opts.agents} agents, ` +
        (opts.findMax
          ? `rate stepped up from ${opts.rate} msg/s, ${opts.stepDuration} s a step`
          : `${opts.rate} msg/s for ${opts.duration} s`) +
        ` (cpus: ${os.cpus().length}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}, database ${dbName})`,
    );
    const { readyMs } = await server.start(dbUrl.toString(), opts.workers);
    const serverPids = server.pids;
    const serverRss = () => serverPids.reduce((mb, pid) => mb + treeRssMb(pid), 0);
    const serverCpuSeconds = () => serverPids.reduce((s, pid) => s + treeCpuSeconds(pid), 0);
    console.log(
      `  server ready in ${readyMs} ms (${opts.workers ? `web and realtime in pid ${serverPids[0]}, workers in ${serverPids.slice(1).join(", ")}` : `one process, pid ${serverPids[0]}`}), RSS ${serverRss()} MB`,
    );
    db = new pg.Client({ connectionString: dbUrl.toString() });
    db.on("error", () => {}); // the database going away at the end is not news
    await db.connect();

    // Agents: created by an admin through the API, signed in, each with a console socket.
    const adminEmail = "load-admin@bank.example";
    const password = `load-${crypto.randomBytes(8).toString("hex")}`;
    await new Promise<void>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        [path.join(ROOT, "server/cli/bin.mjs"), "user", "create", "--role", "admin", "--email", adminEmail, "--password", password],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: "warn" },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      p.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`user create exited ${code}`))));
    });
    const signIn = async (email: string, ip: string) => {
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": ip },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
      return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    };
    const adminSession = await signIn(adminEmail, "10.255.0.1");
    // The agents belong to every team, so the conversations' events reach their consoles as in production.
    const teamsRes = await fetch(`${server.url}/api/v1/teams`, {
      headers: { cookie: adminSession.cookie, "x-forwarded-for": "10.255.0.1" },
    });
    const teamIds = ((await teamsRes.json()) as { items: Array<{ id: string }> }).items.map((t) => t.id);
    const agentEmails = Array.from({ length: opts.agents }, (_, i) => `load-agent-${i}@bank.example`);
    await pool(agentEmails, 10, async (email, i) => {
      const res = await fetch(`${server.url}/api/v1/admin/agents`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: adminSession.cookie,
          "x-csrf-token": adminSession.csrf,
          "x-forwarded-for": "10.255.0.1",
        },
        body: JSON.stringify({ email, name: `Load Agent ${i}`, role: "agent", password, teamIds }),
      });
      if (res.status !== 201) throw new Error(`creating ${email}: ${res.status} ${await res.text()}`);
      const { cookie } = await signIn(email, `10.254.${i >> 8}.${i & 255}`);
      const socket = connect(`${server.url}/agent`, {
        extraHeaders: { cookie },
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      agentSockets.push(socket);
    });
    let agentEvents = 0;
    let agentPackets = 0;
    const agentEventKinds: Record<string, number> = {};
    // Under load the server batches an agent's events ("events": [[name, payload], ...]); counted one by one.
    for (const s of agentSockets)
      s.onAny((event: string, payload: unknown) => {
        agentPackets++;
        for (const name of event === "events" && Array.isArray(payload) ? payload.map((p: [string]) => p[0]) : [event]) {
          agentEvents++;
          agentEventKinds[name] = (agentEventKinds[name] ?? 0) + 1;
        }
      });

    // Customers: a widget session each (from its own address), then its socket.
    const t0 = performance.now();
    let current = newWindow();
    await pool(
      Array.from({ length: opts.connections }, (_, i) => i),
      50,
      async (i) => {
        const res = await fetch(`${server.url}/api/v1/widget/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ipOf(i + 1) },
          body: JSON.stringify({ inbox: "website" }),
        });
        if (res.status !== 201) throw new Error(`widget session ${i}: ${res.status} ${await res.text()}`);
        const { token } = (await res.json()) as { token: string };
        const socket = connect(`${server.url}/widget`, {
          auth: { token },
          transports: ["websocket"],
          forceNew: true,
          reconnection: false,
          extraHeaders: { "x-forwarded-for": ipOf(i + 1) },
        });
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", reject);
        });
        const c: Customer = { socket, waiting: new Map(), early: new Map() };
        // The bot's answer names the question it answers (attributes.replyTo): matched by id,
        // so an answer that overtakes its question's acknowledgement is still timed right.
        socket.on("message", (m: { sender?: { type?: string }; attributes?: { replyTo?: string } }) => {
          const question = m.attributes?.replyTo;
          if (m.sender?.type !== "bot" || !question) return;
          const asked = c.waiting.get(question);
          if (!asked) return void c.early.set(question, performance.now());
          c.waiting.delete(question);
          asked.window.replyMs.push(performance.now() - asked.sentAt);
          asked.window.replySentAt.push(asked.sentAt);
        });
        // Handed off to a person (the bot stops answering there): the customer's next question starts a
        // new chat. The handoff notice is the bot's answer to the question that caused it; questions
        // sent to the conversation after that one stay unanswered by the bot, as they should.
        socket.on("handoff", () => {
          current.handoffs++;
          c.conversationId = undefined;
          c.waiting.clear();
        });
        socket.on("disconnect", (reason) => {
          if (reason !== "io client disconnect")
            current.refused[`disconnected: ${reason}`] = (current.refused[`disconnected: ${reason}`] ?? 0) + 1;
        });
        customers[i] = c;
      },
    );
    console.log(
      `  ${customers.length} customers connected in ${Math.round(performance.now() - t0)} ms, ${agentSockets.length} agents signed in`,
    );
    console.log(`  server RSS with everyone connected: ${serverRss()} MB`);

    const questions = [...readJsonl<{ text: string }>("retrieval-a.jsonl"), ...readJsonl<{ text: string }>("retrieval-b.jsonl")].map(
      (q) => q.text,
    );
    const runId = crypto.randomBytes(3).toString("hex");
    let seq = 0;
    let cursor = 0;
    const inFlight = new Set<Promise<void>>();

    /** One customer message: timed to its acknowledgement; the bot's answer is timed by the socket's "message" handler. */
    const send = (w: Window) => {
      const c = customers[cursor++ % customers.length]!;
      const clientId = `load-${runId}-${seq++}`;
      const content = questions[seq % questions.length]!;
      const t = performance.now();
      w.sent++;
      w.clientIds.add(clientId);
      const p = (
        c.socket.timeout(10_000).emitWithAck("message:send", { conversationId: c.conversationId, clientId, content }) as Promise<{
          ok: boolean;
          message?: { id: string; conversationId: string };
          error?: { code: string };
        }>
      )
        .then((ack) => {
          if (!ack.ok) {
            const code = ack.error?.code ?? "unknown";
            w.refused[code] = (w.refused[code] ?? 0) + 1;
            return;
          }
          w.acked++;
          w.ackMs.push(performance.now() - t);
          const { id, conversationId } = ack.message!;
          if (!c.conversationId) c.conversationId = conversationId;
          const answeredAt = c.early.get(id);
          if (answeredAt === undefined) c.waiting.set(id, { sentAt: t, window: w });
          else {
            c.early.delete(id);
            w.replyMs.push(answeredAt - t);
            w.replySentAt.push(t);
          }
        })
        .catch(() => {
          w.timeouts++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };

    /**
     * Sends at `rate` msg/s for `seconds`, sampling the server's RSS every 5 s. A warm-up
     * window hands over to the next at once (no pause in the load); its messages are
     * counted (lost, duplicated) with the next window's and its latencies reported apart.
     */
    const runAt = async (rate: number, seconds: number, label: string, warm: { warmup?: boolean; after?: Window } = {}) => {
      const w = newWindow();
      current = w;
      const start = performance.now();
      const cpu0 = {
        server: serverCpuSeconds(),
        generator: process.cpuUsage(),
        postgres: namedCpuSeconds("postgres"),
        redis: namedCpuSeconds("redis-server"),
      };
      const rss: Array<{ t: number; mb: number }> = [];
      let nextSample = 0;
      let sent = 0;
      while (performance.now() - start < seconds * 1000) {
        const elapsed = (performance.now() - start) / 1000;
        const due = Math.floor(elapsed * rate);
        while (sent < due) {
          send(w);
          sent++;
        }
        if (elapsed >= nextSample) {
          rss.push({ t: Math.round(elapsed), mb: serverRss() });
          nextSample += 5;
        }
        await sleep(5);
      }
      const wall = (performance.now() - start) / 1000;
      const serverCpu = (serverCpuSeconds() - cpu0.server) / wall;
      const gen = process.cpuUsage(cpu0.generator);
      const generatorCpu = (gen.user + gen.system) / 1e6 / wall;
      // Local PostgreSQL and Redis share the cores too (all their processes, so other users of them count).
      const postgresCpu = (namedCpuSeconds("postgres") - cpu0.postgres) / wall;
      const redisCpu = (namedCpuSeconds("redis-server") - cpu0.redis) / wall;
      const cpuLine = `  CPU while sending (% of one core; ${os.cpus().length} cores): server ${Math.round(serverCpu * 100)} %, load generator ${Math.round(generatorCpu * 100)} %, postgres ${Math.round(postgresCpu * 100)} %, redis ${Math.round(redisCpu * 100)} %`;
      if (warm.warmup) {
        const ack95 = round(percentile(w.ackMs, 95));
        console.log(
          `\n[${label}] ${w.sent} sent in ${seconds} s, not judged: send→ack p95 ${ack95} ms (replies still arriving are counted later)`,
        );
        console.log(cpuLine);
        return { ok: true, window: w };
      }
      // Let the last acknowledgements and bot replies arrive.
      const drainStart = performance.now();
      while (inFlight.size && performance.now() - drainStart < 15_000) await sleep(50);
      await sleep(2000);
      rss.push({ t: Math.round((performance.now() - start) / 1000), mb: serverRss() });
      const before = warm.after;
      const { rows } = await db!.query<{ n: number; distinct_ids: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT client_id)::int AS distinct_ids FROM messages WHERE client_id = ANY($1::text[])",
        [[...w.clientIds, ...(before?.clientIds ?? [])]],
      );
      const stored = rows[0]!;
      const duplicates = stored.n - stored.distinct_ids;
      const lost = w.acked + (before?.acked ?? 0) - stored.distinct_ids; // acknowledged yet not in the database
      if (before) {
        const r = { p50: percentile(before.replyMs, 50), p95: percentile(before.replyMs, 95) };
        console.log(
          `  warm-up, not judged: ${before.sent} sent, ${before.acked} acknowledged, ${before.timeouts} ack timeouts; send→ack p95 ${round(percentile(before.ackMs, 95))} ms; send→bot reply p50 ${round(r.p50)}, p95 ${round(r.p95)} ms`,
        );
      }
      const ack = { p50: percentile(w.ackMs, 50), p95: percentile(w.ackMs, 95), p99: percentile(w.ackMs, 99) };
      const reply = { p50: percentile(w.replyMs, 50), p95: percentile(w.replyMs, 95), n: w.replyMs.length };
      const achieved = w.sent / seconds;
      console.log(`\n[${label}] ${w.sent} sent in ${seconds} s (${round(achieved)} msg/s)`);
      console.log(
        `  acknowledged ${w.acked}, refused ${Object.values(w.refused).reduce((a, b) => a + b, 0)} ${JSON.stringify(w.refused)}, ack timeouts ${w.timeouts}`,
      );
      console.log(
        `  stored ${stored.n} (distinct client ids ${stored.distinct_ids}${before ? `, the warm-up's included` : ""}): lost ${Math.max(0, lost)}, duplicated ${duplicates}`,
      );
      console.log(`  send→ack ms: p50 ${round(ack.p50)}, p95 ${round(ack.p95)}, p99 ${round(ack.p99)}`);
      console.log(
        `  send→bot reply ms: p50 ${round(reply.p50)}, p95 ${round(reply.p95)} (${reply.n} replies and ${w.handoffs} handoffs to a person, for ${w.acked} messages)`,
      );
      console.log(`  bot reply p95 ms by 10 s of sending: ${replyP95Over(w, start, seconds).join(" ")}`);
      // Without a warm-up window before it, the window's first part is its warm-up.
      const settled = rss.filter((s) => s.t >= (before ? 0 : Math.min(30, seconds / 2)));
      console.log(cpuLine);
      console.log(`  server RSS MB (t s: MB): ${rss.map((s) => `${s.t}:${s.mb}`).join(" ")}`);
      if (settled.length >= 2) {
        const first = settled.slice(0, Math.max(1, Math.floor(settled.length / 4)));
        const last = settled.slice(-Math.max(1, Math.floor(settled.length / 4)));
        const avg = (xs: typeof settled) => xs.reduce((a, s) => a + s.mb, 0) / xs.length;
        console.log(
          `  RSS after warm-up: first quarter avg ${round(avg(first))} MB, last quarter avg ${round(avg(last))} MB, max ${Math.max(...settled.map((s) => s.mb))} MB`,
        );
      }
      const ok =
        lost <= 0 &&
        duplicates === 0 &&
        w.timeouts + (before?.timeouts ?? 0) === 0 &&
        ack.p95 < ACK_P95_TARGET &&
        reply.p95 < REPLY_P95_TARGET &&
        achieved >= rate * 0.95 &&
        w.acked >= w.sent * 0.99;
      console.log(
        `  ${ok ? "within" : "NOT within"} the targets (p95 ack < ${ACK_P95_TARGET} ms, p95 bot reply < ${REPLY_P95_TARGET} ms, nothing lost or duplicated)`,
      );
      return { ok, window: w };
    };

    // The first seconds start 2,000 conversations at once and run cold code and caches: a
    // start-up transient, not the steady state the targets are about. Reported, not judged.
    const warmup =
      opts.warmup > 0 ? (await runAt(opts.rate, opts.warmup, `warm-up ${opts.rate} msg/s`, { warmup: true })).window : undefined;
    if (!opts.findMax) {
      if (!(await runAt(opts.rate, opts.duration, `${opts.rate} msg/s`, { after: warmup })).ok) exitCode = 1;
    } else {
      let rate = opts.rate;
      let best = 0;
      let after = warmup;
      while (rate <= opts.maxRate) {
        const step = await runAt(rate, opts.stepDuration, `step ${rate} msg/s`, { after });
        after = undefined;
        if (!step.ok) break;
        best = rate;
        rate = Math.round(rate * 1.25);
      }
      console.log(
        `\nHighest rate within the targets: ${best ? `${best} msg/s` : `none (below ${opts.rate} msg/s)`} (steps of ${opts.stepDuration} s)`,
      );
    }
    server.printErrors();
    console.log(
      `agent socket events received: ${agentEvents} in ${agentPackets} packets ${JSON.stringify(agentEventKinds)}; load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    for (const c of customers) c?.socket.close();
    for (const s of agentSockets) s.close();
    await db?.end().catch(() => {});
    await server.stop();
    if (!opts.keepDb) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  process.exit(exitCode);
}

await main();
