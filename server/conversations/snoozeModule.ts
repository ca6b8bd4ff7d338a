import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { SNOOZE_CHECK_INTERVAL_MS, SNOOZE_CHECK_JOB, wakeSnoozedConversations } from "./wakeSnoozedConversations.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Snoozes end by themselves: each worker queues the check every minute under a job id
 * of that minute (as the SLA check does), so with several workers it runs once a minute.
 */
export const snoozeModule: Module = {
  name: "snooze",
  tasks(ctx) {
    ctx.queue.register<{ at: string }>(SNOOZE_CHECK_JOB, async () => {
      await wakeSnoozedConversations(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(
          SNOOZE_CHECK_JOB,
          { at: new Date().toISOString() },
          { jobId: `snooze:${Math.floor(Date.now() / SNOOZE_CHECK_INTERVAL_MS)}` },
        )
        .catch((err) => ctx.logger.warn({ err }, "could not queue the snooze check"));
    run();
    const interval = setInterval(run, SNOOZE_CHECK_INTERVAL_MS);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
