import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { caseRoutes } from "./caseRoutes.ts";
import { checkCaseClocks, CLOCK_INTERVAL_MS, CLOCK_JOB } from "./checkCaseClocks.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Complaint cases (issue #17): REST routes, and the clock check that raises
 * near-breach and breach alerts. Each worker queues the check every minute under a
 * job id of that minute, so with several workers it runs once a minute in all (the
 * alerts are idempotent besides: see checkCaseClocks).
 */
export const casesModule: Module = {
  name: "cases",
  routes: caseRoutes,
  tasks(ctx) {
    ctx.queue.register<{ at: string }>(CLOCK_JOB, async () => {
      await checkCaseClocks(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(CLOCK_JOB, { at: new Date().toISOString() }, { jobId: `cases-clocks:${Math.floor(Date.now() / CLOCK_INTERVAL_MS)}` })
        .catch((err) => ctx.logger.warn({ err }, "could not queue the complaint clock check"));
    run();
    const interval = setInterval(run, CLOCK_INTERVAL_MS);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
