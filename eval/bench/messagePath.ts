/**
 * `npm run bench -- message-path --side-by-side`: a customer's message from send to
 * acknowledgement through BankDesk, beside a minimal server that does only what a
 * stored-then-acknowledged message needs (eval/bench/minimalServer.ts: Socket.IO,
 * zod, one INSERT, the ack), in one run, from one client, interleaved, so that a
 * shared machine's load falls on both alike and the ratios mean something when the
 * absolute figures do not. Without --side-by-side, BankDesk alone.
 *
 * BankDesk runs as `bankdesk start` child processes on the database DATABASE_URL
 * names (a scratch database beside it, dropped at the end; web and realtime in one
 * process and the worker in another, as in production), or, without DATABASE_URL,
 * embedded (one process, PGlite). The minimal server stores into the same kind of
 * database. Phases:
 *   1. a fixed rate (--rate, 100 msg/s) to each server, their messages interleaved;
 *   2. saturated: --concurrency messages in flight, the servers taking turns of 1 s;
 *   3. the rate stepped up ×1.5 from --rate, --step-seconds to each server in turn,
 *      until a server's ack p95 passes 50 ms (or it acknowledges < 95 % of the rate).
 * Prints ack p50/p95 and the ratios, the highest rate sustained, the idle RSS of
 * each process, and the load average.
 *
 * Flags: --customers N (2000: BankDesk allows a customer 20 messages per 10 s, so the
 * rates above need many) --phase-seconds S (20) --rate R (100) --concurrency C (64)
 * --step-seconds S (2) --max-rate R (20000) --ack-limit-ms MS (50)
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Socket } from "socket.io-client";
import { ROOT, percentile, readJsonl } from "../lib/data.ts";
import {
  connectSocket,
  connectWidgetCustomer,
  namedCpuSeconds,
  pool,
  round,
  Server,
  sleep,
  treeCpuSeconds,
  treeRssMb,
} from "../lib/benchServer.ts";

interface Options {
  sideBySide: boolean;
  customers: number;
  phaseSeconds: number;
  rate: number;
  concurrency: number;
  stepSeconds: number;
  maxRate: number;
  ackLimitMs: number;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : def;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got ${argv[i + 1]}`);
    return v;
  };
  return {
    sideBySide: argv.includes("--side-by-side"),
    customers: Math.round(flag("customers", 2000)),
    phaseSeconds: flag("phase-seconds", 20),
    rate: flag("rate", 100),
    concurrency: Math.round(flag("concurrency", 64)),
    stepSeconds: flag("step-seconds", 2),
    maxRate: flag("max-rate", 20_000),
    ackLimitMs: flag("ack-limit-ms", 50),
  };
}

/** What one server did in one phase. */
class Sample {
  ackMs: number[] = [];
  sent = 0;
  refused: Record<string, number> = {};
  timeouts = 0;
  /** Time this server was being sent to (saturated turns), for its throughput. */
  activeMs = 0;
  /** CPU seconds its front process (BankDesk's web process) used meanwhile. */
  cpuSeconds = 0;
  get acked() {
    return this.ackMs.length;
  }
  p(q: number) {
    return percentile(this.ackMs, q);
  }
  describe() {
    const refused = Object.keys(this.refused).length ? `, refused ${JSON.stringify(this.refused)}` : "";
    const timeouts = this.timeouts ? `, ${this.timeouts} ack timeouts` : "";
    return `ack p50 ${round(this.p(50))} ms, p95 ${round(this.p(95))} ms (${this.acked} of ${this.sent} acknowledged${refused}${timeouts})`;
  }
}

/** One server as the client drives it: its customers' sockets, sent to in turn. */
interface Target {
  name: string;
  send(sample: Sample): Promise<void>;
  /** Processes whose CPU says whether the server is still busy with earlier messages (bot replies). */
  pids: number[];
  /** The process that receives and acknowledges the messages (BankDesk's web process). */
  frontPid: number;
}

type Ack = { ok: boolean; message?: { id: string; conversationId: string }; error?: { code: string } };

function target(name: string, sockets: Socket[], pids: number[], questions: string[]): Target & { open(): Promise<void> } {
  const runId = crypto.randomBytes(3).toString("hex");
  const conversations: Array<string | undefined> = [];
  let cursor = 0;
  let seq = 0;
  const sendFrom = async (i: number, sample: Sample) => {
    const n = seq++;
    const t = performance.now();
    sample.sent++;
    try {
      const ack = (await sockets[i]!.timeout(10_000).emitWithAck("message:send", {
        conversationId: conversations[i],
        clientId: `mp-${runId}-${n}`,
        content: questions[n % questions.length]!,
      })) as Ack;
      if (!ack.ok) {
        const code = ack.error?.code ?? "unknown";
        sample.refused[code] = (sample.refused[code] ?? 0) + 1;
        return;
      }
      sample.ackMs.push(performance.now() - t);
      conversations[i] ??= ack.message?.conversationId;
    } catch {
      sample.timeouts++;
    }
  };
  return {
    name,
    pids,
    frontPid: pids[0]!,
    send: (sample) => sendFrom(cursor++ % sockets.length, sample),
    // A customer's first message opens the conversation (BankDesk): done before measuring, for every customer.
    open: () =>
      pool(
        sockets.map((_, i) => i),
        50,
        (i) => sendFrom(i, new Sample()),
      ),
  };
}

/** Sends `rate` messages a second to each target for `seconds`, the targets' messages interleaved; waits for their acks. */
async function atRate(targets: Array<{ t: Target; sample: Sample }>, rate: number, seconds: number) {
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) {
      const order = sent % 2 ? [...targets].reverse() : targets;
      for (const { t, sample } of order) inFlight.push(t.send(sample));
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
}

/** `concurrency` messages in flight to one target for `seconds`: each ack sends the next. */
async function saturate(t: Target, sample: Sample, concurrency: number, seconds: number) {
  const start = performance.now();
  const end = start + seconds * 1000;
  const cpu0 = treeCpuSeconds(t.frontPid);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await t.send(sample);
    }),
  );
  sample.activeMs += performance.now() - start;
  sample.cpuSeconds += treeCpuSeconds(t.frontPid) - cpu0;
}

/**
 * Waits (at most `maxMs`) until the processes use under 10 % of a core: the bot has
 * answered what was sent before (2,000 first messages took 43 s at load 10-13), so a
 * phase does not pay for the previous one's replies. Returns a note for the phase's
 * header when it gave up waiting: that phase then ran with replies still owed.
 */
async function quiet(pids: number[], maxMs = 60_000): Promise<string> {
  const cpu = () => pids.reduce((s, pid) => s + treeCpuSeconds(pid), 0);
  const start = Date.now();
  for (;;) {
    const before = cpu();
    await sleep(1000);
    if (cpu() - before < 0.1) return "";
    if (Date.now() - start > maxMs) return ` (BankDesk still busy after ${maxMs / 1000} s: earlier replies overlap this phase)`;
  }
}

/**
 * CPU used by each process of the run from now until the returned function is called, as a
 * share of one core: BankDesk's web and worker, the minimal server, this client, and the local
 * PostgreSQL and Redis (all their processes, so other users of them count too).
 */
function cpuShares(ourPids: number[], minimalPid?: number): () => string {
  const [webPid, workerPid] = ourPids;
  const read = () => {
    const own = process.cpuUsage();
    return {
      at: performance.now(),
      web: treeCpuSeconds(webPid!),
      worker: workerPid ? treeCpuSeconds(workerPid) : 0,
      minimal: minimalPid ? treeCpuSeconds(minimalPid) : 0,
      client: (own.user + own.system) / 1e6,
      postgres: namedCpuSeconds("postgres"),
      redis: namedCpuSeconds("redis-server"),
    };
  };
  const start = read();
  return () => {
    const end = read();
    const wall = (end.at - start.at) / 1000;
    const share = (k: Exclude<keyof typeof start, "at">) => `${k} ${Math.round(((end[k] - start[k]) / wall) * 100)} %`;
    const keys = (["web", "worker", "minimal", "client", "postgres", "redis"] as const).filter(
      (k) => (k !== "worker" || workerPid) && (k !== "minimal" || minimalPid),
    );
    return keys.map(share).join(", ");
  };
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "n/a");

/** The minimal server as a child process, on the same kind of database. */
async function startMinimal(databaseUrl: string): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-minimal-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "eval/bench/minimalServer.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: process.env.LOAD_MINIMAL_PORT ?? "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let said = "";
    const timer = setTimeout(() => reject(new Error("the minimal server did not start within 60 s")), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      said += d.toString();
      const m = /listening (\d+)/.exec(said);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`the minimal server exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, dataDir };
}

export async function runMessagePathBench(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const base = process.env.DATABASE_URL;
  const embedded = !base;
  if (base && !process.env.REDIS_URL)
    throw new Error("on PostgreSQL the message-path bench needs REDIS_URL too (the node as in production)");
  const sockets = opts.customers * (opts.sideBySide ? 2 : 1);
  const fdLimit = Number(fs.readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/)?.[1] ?? 0);
  if (fdLimit && fdLimit < sockets + 500)
    throw new Error(`ulimit -n is ${fdLimit}: too low for ${sockets} sockets (raise it with ulimit -n 65536)`);

  let admin: pg.Client | undefined;
  let dbName = "";
  let dbUrl = "";
  if (base) {
    dbName = `bankdesk_msgpath_${Date.now()}_${crypto.randomBytes(2).toString("hex")}`;
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
  }
  const ours = new Server();
  let minimal: Awaited<ReturnType<typeof startMinimal>> | undefined;
  const all: Socket[] = [];
  try {
    console.log(
      `Message path${opts.sideBySide ? ", side by side with a minimal persist-then-acknowledge server" : ""} ` +
        `(${embedded ? "embedded: PGlite, one process" : "PostgreSQL + Redis, web+realtime and a worker"}; ` +
        `${os.cpus().length} cores; load average ${loadAverage()})`,
    );
    const [{ readyMs }, min] = await Promise.all([
      ours.start(dbUrl, embedded ? 0 : 1, embedded ? { REDIS_URL: "" } : {}),
      opts.sideBySide ? startMinimal(dbUrl) : Promise.resolve(undefined),
    ]);
    minimal = min;
    const [webPid, workerPid] = ours.pids;
    console.log(`  BankDesk ready in ${readyMs} ms`);
    // Idle: started, nothing connected, as `npm run bench startup` measures it.
    await sleep(10_000);
    const rss = [
      embedded
        ? `BankDesk (one process) ${treeRssMb(webPid!)} MB`
        : `BankDesk web ${treeRssMb(webPid!)} MB, worker ${treeRssMb(workerPid!)} MB`,
      ...(minimal ? [`minimal server ${treeRssMb(minimal.child.pid!)} MB`] : []),
    ];
    console.log(`  idle RSS after 10 s: ${rss.join("; ")}`);

    const questions = [...readJsonl<{ text: string }>("retrieval-a.jsonl"), ...readJsonl<{ text: string }>("retrieval-b.jsonl")].map(
      (q) => q.text,
    );
    const t0 = performance.now();
    const oursSockets: Socket[] = [];
    await pool(
      Array.from({ length: opts.customers }, (_, i) => i),
      50,
      async (i) => void (oursSockets[i] = await connectWidgetCustomer(ours.url, i)),
    );
    all.push(...oursSockets);
    const minimalSockets: Socket[] = [];
    if (minimal) {
      await pool(
        Array.from({ length: opts.customers }, (_, i) => i),
        50,
        async (i) => void (minimalSockets[i] = await connectSocket(minimal!.url, {})),
      );
      all.push(...minimalSockets);
    }
    const a = target("BankDesk", oursSockets, ours.pids, questions);
    const b = minimal && target("minimal", minimalSockets, [minimal.child.pid!], questions);
    await Promise.all([a.open(), b?.open()]);
    console.log(
      `  ${opts.customers} customers on ${minimal ? "each server" : "BankDesk"}, connected and their conversations opened in ${Math.round(performance.now() - t0)} ms`,
    );
    const targets: Target[] = b ? [a, b] : [a];
    const compare = (samples: Sample[], extra?: (x: Sample, y: Sample) => string) => {
      samples.forEach((s, i) => console.log(`  ${targets[i]!.name.padEnd(9)} ${s.describe()}`));
      if (samples.length === 2) {
        const [x, y] = samples as [Sample, Sample];
        console.log(
          `  ratio     BankDesk / minimal: ack p50 ${ratio(x.p(50), y.p(50))}, p95 ${ratio(x.p(95), y.p(95))}${extra ? `, ${extra(x, y)}` : ""}`,
        );
      }
    };

    // 1. A fixed rate to both, interleaved message by message.
    let busy = await quiet(ours.pids);
    console.log(`\n[${opts.rate} msg/s to each, interleaved, ${opts.phaseSeconds} s] load average ${loadAverage()}${busy}`);
    const fixed = targets.map(() => new Sample());
    const cpu = cpuShares(ours.pids, minimal?.child.pid);
    await atRate(
      targets.map((t, i) => ({ t, sample: fixed[i]! })),
      opts.rate,
      opts.phaseSeconds,
    );
    compare(fixed);
    // Who used the two cores meanwhile: at a fixed rate the ack waits on PostgreSQL and Redis as
    // much as on the web process, and they share the cores with the worker answering.
    console.log(`  CPU meanwhile (% of one core): ${cpu()}`);

    // 2. Saturated: the servers take turns of 1 s, so neither competes with the other for the cores.
    busy = await quiet(ours.pids);
    console.log(
      `\n[saturated: ${opts.concurrency} in flight, turns of 1 s, ${opts.phaseSeconds} s in all] load average ${loadAverage()}${busy}`,
    );
    const saturated = targets.map(() => new Sample());
    for (let turn = 0; turn < opts.phaseSeconds; turn += targets.length) {
      for (const [i, t] of targets.entries()) await saturate(t, saturated[i]!, opts.concurrency, 1);
    }
    const throughput = (s: Sample) => s.acked / (s.activeMs / 1000);
    // CPU time per message is what a shared machine's load disturbs least: the figure to compare across runs.
    saturated.forEach((s, i) =>
      console.log(
        `  ${targets[i]!.name.padEnd(9)} ${Math.round(throughput(s))} msg/s acknowledged, ${((s.cpuSeconds * 1000) / s.acked).toFixed(2)} ms CPU per message in the process that acknowledges`,
      ),
    );
    compare(saturated, (x, y) => `throughput ${ratio(throughput(x), throughput(y))}`);

    // 3. The rate stepped up until the ack p95 passes the limit.
    busy = await quiet(ours.pids);
    console.log(
      `\n[rate ×1.5 from ${opts.rate} msg/s, ${opts.stepSeconds} s a step to each in turn, until ack p95 > ${opts.ackLimitMs} ms] load average ${loadAverage()}${busy}`,
    );
    const best = new Map<Target, number>();
    const failed = new Set<Target>();
    for (let rate = opts.rate, step = 0; rate <= opts.maxRate && failed.size < targets.length; rate = Math.round(rate * 1.5), step++) {
      const line: string[] = [];
      for (const t of step % 2 ? [...targets].reverse() : targets) {
        if (failed.has(t)) continue;
        const s = new Sample();
        await atRate([{ t, sample: s }], rate, opts.stepSeconds);
        const ok = s.p(95) <= opts.ackLimitMs && s.acked >= 0.95 * rate * opts.stepSeconds;
        line.push(`${t.name} p95 ${round(s.p(95))} ms, ${s.acked}/${s.sent} acked${ok ? "" : " ✗"}`);
        if (ok) best.set(t, rate);
        else failed.add(t);
      }
      console.log(`  ${String(rate).padStart(5)} msg/s: ${line.join("; ")}`);
    }
    const sustained = targets.map((t) => `${t.name} ${best.get(t) ?? `< ${opts.rate}`} msg/s`);
    const [bestA, bestB] = targets.map((t) => best.get(t) ?? NaN);
    console.log(
      `  sustained before ack p95 passes ${opts.ackLimitMs} ms: ${sustained.join(", ")}${b ? ` (ratio ${ratio(bestA!, bestB!)})` : ""}`,
    );
    ours.printErrors();
    console.log(`load average at the end ${loadAverage()}`);
  } finally {
    for (const s of all) s.close();
    await ours.stop();
    if (minimal) {
      minimal.child.kill("SIGTERM");
      await new Promise((r) => (minimal!.child.exitCode === null ? minimal!.child.once("exit", r) : r(null)));
      fs.rmSync(minimal.dataDir, { recursive: true, force: true });
    }
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
  }
}
