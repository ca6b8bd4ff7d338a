import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { retentionRoutes } from "./retentionRoutes.ts";
import { RETENTION_INTERVAL_MS, RETENTION_JOB, runRetention } from "./runRetention.ts";

const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Retention (issue #13): admin routes, and the daily run on the queue. Each worker
 * queues it under a job id of the day, so with several workers it runs once a day.
 * The hourly check only makes sure a long-running worker queues the next day's run.
 */
export const retentionModule: Module = {
  name: "retention",
  routes: retentionRoutes,
  tasks(ctx) {
    ctx.queue.register<{ day: number }>(RETENTION_JOB, async () => {
      // A finished job's id may be queued again (the hourly check): the audit log says whether today's ran.
      const ran = await ctx.db.query(
        "SELECT 1 FROM audit_log WHERE action = 'retention.run' AND created_at > now() - interval '23 hours' LIMIT 1",
      );
      if (ran.rowCount === 0) await runRetention(ctx);
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    const run = () =>
      void ctx.queue
        .enqueue(
          RETENTION_JOB,
          { day: Math.floor(Date.now() / RETENTION_INTERVAL_MS) },
          {
            jobId: `retention:${Math.floor(Date.now() / RETENTION_INTERVAL_MS)}`,
          },
        )
        .catch((err) => ctx.logger.warn({ err }, "could not queue the retention run"));
    run();
    const interval = setInterval(run, 60 * 60 * 1000);
    interval.unref();
    timers.set(ctx, interval);
  },
  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
