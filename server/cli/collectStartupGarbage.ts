import v8 from "node:v8";
import vm from "node:vm";
import type { Logger } from "../logger.ts";

/**
 * The quiet span the collection waits for: the span V8 reckons its allocation rate over
 * (5 s). A scavenge shrinks the young generation only when that rate is low (under about
 * 1 MB/s), so the collection waits for one whole quiet span.
 */
const QUIET_MS = 5_000;
/** How often the process looks back over the last quiet span: the collection comes within a second of the span's end. */
const CHECK_MS = 1_000;
/** CPU time over the span, as a share of it, below which the process counts as idle (an idle web or worker process used 0.6–1.2 % here, load average 11–14). */
const IDLE_CPU_SHARE = 0.05;
/** How long after start it keeps looking: a process busy from its start has its garbage collected by V8's own collections under that load. */
const GIVE_UP_MS = 60_000;

/**
 * Once a started server has been idle for a few seconds: one scavenge and one compacting full
 * garbage collection, and no more. What building the process's services left behind is freed,
 * the old generation's pages that held it go back to the system, and V8's young generation
 * returns to its initial size.
 *
 * Why: V8 grows the young generation to its maximum (2 × 16 MB) while modules load and the
 * assistant is built, and shrinks it only in a collection at a low allocation rate, which an
 * idle server does not run for minutes; nor does it collect the old generation's startup
 * garbage (an idle worker's heap held 84 MB, 37 MB of it alive). README, "Idle memory", has
 * the figures: RSS after 10 s idle, web ~131 → ~100 MB, worker ~180 → ~115 MB.
 *
 * Node 20 has no call for a collection without `--expose-gc` on the command line (which
 * `npm start`, the Docker entrypoint and the benches would each have to pass): the flag set
 * at run time exposes `gc` to a new context, as Jest does for `--logHeapUsage`, and is unset
 * again so that no later context gets it. Returns a function that cancels a pending collection.
 */
export function collectStartupGarbageWhenIdle(logger: Logger): () => void {
  const gc = exposedGc();
  // V8 reckons its allocation rate from what was allocated since its last collection: a
  // scavenge now leaves out what starting allocated, so the rate seen below is the quiet span's.
  gc({ type: "minor" });
  const started = performance.now();
  const samples = [{ at: started, cpu: process.cpuUsage() }]; // the last quiet span's, oldest first
  const timer = setInterval(() => {
    const now = { at: performance.now(), cpu: process.cpuUsage() };
    samples.push(now);
    while (now.at - samples[1]!.at >= QUIET_MS) samples.shift();
    const from = samples[0]!;
    if (now.at - from.at < QUIET_MS) return;
    const cpuMs = (now.cpu.user - from.cpu.user + now.cpu.system - from.cpu.system) / 1000;
    if (cpuMs >= IDLE_CPU_SHARE * (now.at - from.at)) {
      if (now.at - started >= GIVE_UP_MS) clearInterval(timer);
      return;
    }
    clearInterval(timer);
    const before = process.memoryUsage.rss();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    gc({ type: "minor" }); // first: the young generation shrinks in a scavenge at a low allocation rate
    compacting(gc);
    const cpu = process.cpuUsage(cpu0);
    logger.debug(
      {
        rssBeforeMb: mb(before),
        rssAfterMb: mb(process.memoryUsage.rss()), // pages are returned by a background thread: lower still a moment later
        ms: Math.round(performance.now() - t0),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      },
      "collected the startup garbage",
    );
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

type Gc = (options?: { type: "minor" }) => void;

/**
 * A full collection that also moves what survives into as few pages as it fills, so the rest
 * go back to the system: a worker's old generation stayed 42 MB committed for 27 MB alive
 * after a plain full collection (worker 132 → 113 MB with compaction, one run each). V8 reads the
 * flag when a collection starts; it is set for this one only.
 */
function compacting(gc: Gc): void {
  v8.setFlagsFromString("--compact-on-every-full-gc");
  try {
    gc(); // full (given an options object, Node 20's V8 ran a scavenge instead: measured)
  } finally {
    v8.setFlagsFromString("--no-compact-on-every-full-gc");
  }
}

function exposedGc(): Gc {
  v8.setFlagsFromString("--expose-gc");
  try {
    return vm.runInNewContext("gc") as Gc;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}

const mb = (bytes: number) => Math.round(bytes / 1048576);
