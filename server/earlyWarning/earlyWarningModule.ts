import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { earlyWarningRoutes } from "./earlyWarningRoutes.ts";
import { checkEarlyWarnings, EARLY_WARNING_INTERVAL_MS, EARLY_WARNING_JOB } from "./checkEarlyWarnings.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Early warning (issue #17 §4): thresholds an admin sets on complaints per category,
 * the share of negative conversations, SLA breaches and a question the assistant
 * keeps declining, compared with their metric every minute (as sla/slaModule.ts
 * runs its check: each worker queues it under a job id of that minute, so it runs
 * once a minute in all; alerts are once per crossing besides).
 */
export const earlyWarningModule: Module = {
  name: "earlyWarning",
  routes: earlyWarningRoutes,
  tasks(ctx) {
    ctx.queue.register<{ at: string }>(EARLY_WARNING_JOB, async () => {
      await checkEarlyWarnings(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(
          EARLY_WARNING_JOB,
          { at: new Date().toISOString() },
          { jobId: `early-warning:${Math.floor(Date.now() / EARLY_WARNING_INTERVAL_MS)}` },
        )
        .catch((err) => ctx.logger.warn({ err }, "could not queue the early-warning check"));
    run();
    const interval = setInterval(run, EARLY_WARNING_INTERVAL_MS);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
