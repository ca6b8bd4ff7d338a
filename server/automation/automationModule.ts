import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { automationRoutes } from "./automationRoutes.ts";
import { AUTOMATION_JOB, AUTOMATION_LANE, type AutomationJob } from "./automationTriggers.ts";
import { runAutomationRules } from "./runAutomationRules.ts";
import { checkNoReply, NO_REPLY_CHECK_INTERVAL_MS, NO_REPLY_CHECK_JOB } from "./checkNoReply.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Automation rules (issue #17 §2, Chatwoot's idea): admins' rules (routes), run on
 * domain events (queued by the rows of events/listeners.ts) in one lane, and the
 * check for customers left waiting, queued by each worker every minute under a job
 * id of that minute (several workers: once a minute in all; runs are idempotent
 * besides).
 */
export const automationModule: Module = {
  name: "automation",
  routes: automationRoutes,
  tasks(ctx) {
    ctx.queue.register<AutomationJob>(
      AUTOMATION_JOB,
      async (job) => {
        await runAutomationRules(ctx, job);
      },
      { lane: AUTOMATION_LANE },
    );
    ctx.queue.register<{ at: string }>(NO_REPLY_CHECK_JOB, async () => {
      await checkNoReply(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(
          NO_REPLY_CHECK_JOB,
          { at: new Date().toISOString() },
          { jobId: `no-reply:${Math.floor(Date.now() / NO_REPLY_CHECK_INTERVAL_MS)}` },
        )
        .catch((err) => ctx.logger.warn({ err }, "could not queue the no-reply check"));
    run();
    const interval = setInterval(run, NO_REPLY_CHECK_INTERVAL_MS);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
