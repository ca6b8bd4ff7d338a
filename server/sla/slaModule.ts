import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { slaRoutes } from "./slaRoutes.ts";
import { checkSlaClocks, SLA_CHECK_INTERVAL_MS, SLA_CHECK_JOB } from "./checkSlaClocks.ts";
import { refreshConversationSla } from "./refreshConversationSla.ts";
import { reapplySlaPolicies, REAPPLY_JOB } from "./reapplySlaPolicies.ts";
import { SLA_REFRESH_JOB, type SlaRefreshJob } from "./slaTriggers.ts";
import { recordSlaPause } from "./slaPauses.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Service levels for every conversation (issue #17 §2): policies and their reports
 * (routes), the refresh of a conversation's targets after each change that can move
 * them (queued by the rows of events/listeners.ts), the re-application after a policy
 * changes, and the check that raises near-breach and breach alerts. Each worker
 * queues the check every minute under a job id of that minute, so with several
 * workers it runs once a minute in all (the alerts are idempotent besides).
 */
export const slaModule: Module = {
  name: "sla",
  routes: slaRoutes,
  tasks(ctx) {
    ctx.queue.register<SlaRefreshJob>(SLA_REFRESH_JOB, async ({ conversationId, pause }) => {
      if (pause) await recordSlaPause(ctx.db, conversationId, { ...pause, at: new Date(pause.at) });
      await refreshConversationSla(ctx, conversationId);
    });
    ctx.queue.register<{ policyId: string }>(REAPPLY_JOB, async () => {
      await reapplySlaPolicies(ctx);
    });
    ctx.queue.register<{ at: string }>(SLA_CHECK_JOB, async () => {
      await checkSlaClocks(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(SLA_CHECK_JOB, { at: new Date().toISOString() }, { jobId: `sla-clocks:${Math.floor(Date.now() / SLA_CHECK_INTERVAL_MS)}` })
        .catch((err) => ctx.logger.warn({ err }, "could not queue the SLA check"));
    run();
    const interval = setInterval(run, SLA_CHECK_INTERVAL_MS);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
