import fs from "node:fs";
import os from "node:os";
import type { Logger } from "../logger.ts";

/**
 * Lowers this process's CPU priority to `nice` (config WORKER_NICE), for a process that
 * runs only the worker service. On a node where a web process and a worker share the
 * cores, the worker's assistant turns (CPU-bound for tens of milliseconds each: its
 * event-loop delay reached 100-250 ms per 250 ms in eval/bench/messagePath.ts's
 * 100 msg/s phase) competed on equal terms with the web process, whose work is short
 * and whose customers wait for it: with the worker stopped the web's ack p95 fell from
 * ~540 to ~85 ms at the same load (300 customers at 100 msg/s, load average 9-10 from
 * other work on the machine). A niced worker still gets every idle cycle; under
 * contention its replies queue (durably, in the job queue) while acknowledgements go out.
 *
 * On Linux a nice value belongs to a thread, and V8's and libuv's threads exist before
 * this runs, so each thread of the process (/proc/self/task) is set; threads started
 * later inherit it. Elsewhere the main thread's is set.
 */
export function lowerPriority(nice: number, logger: Logger): void {
  if (nice <= 0) return;
  let threads: number[] = [0];
  try {
    threads = fs.readdirSync("/proc/self/task").map(Number);
  } catch {
    // not Linux: the calling thread only
  }
  try {
    for (const tid of threads) os.setPriority(tid, Math.max(os.getPriority(tid), nice));
  } catch (err) {
    // A container without the right to change priorities: run at the priority given.
    logger.warn({ err: (err as Error).message, nice }, "could not lower the worker's CPU priority");
  }
}
