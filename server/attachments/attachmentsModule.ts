import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { deleteUnsentAttachments } from "./commands/deleteUnsentAttachments.ts";

const SWEEP_INTERVAL_MS = 3600_000;
const timers = new WeakMap<AppContext, NodeJS.Timeout>();

/**
 * Attachments' upkeep. The sweep of unsent uploads runs in web processes: they hold
 * the attachment store (DATA_DIR/attachments, shared between web nodes), which a
 * worker on another machine may not.
 */
export const attachmentsModule: Module = {
  name: "attachments",

  async started(ctx, services) {
    if (!services.has("web")) return;
    const run = () =>
      void deleteUnsentAttachments(ctx)
        .then((n) => n && ctx.logger.info({ deleted: n }, "deleted attachments uploaded and never sent"))
        .catch((err) => ctx.logger.warn({ err }, "unsent-attachment sweep failed"));
    run();
    const t = setInterval(run, SWEEP_INTERVAL_MS);
    t.unref();
    timers.set(ctx, t);
  },

  async stop(ctx) {
    clearInterval(timers.get(ctx));
    timers.delete(ctx);
  },
};
