import type { Module } from "../Module.ts";
import { npsRoutes } from "./npsRoutes.ts";
import { askNps, NPS_ASK_JOB } from "./askNps.ts";

/**
 * Net Promoter surveys (issue #17 §4): asked after resolution when the inbox says so
 * (the job queued by events/listeners.ts), answered in the widget or by a reply on the
 * customer's channel (answerByReply.ts, called from receiveChannelMessage), reported
 * with a CSV for admins.
 */
export const npsModule: Module = {
  name: "nps",
  routes: npsRoutes,
  tasks(ctx) {
    ctx.queue.register<{ conversationId: string }>(NPS_ASK_JOB, async ({ conversationId }) => {
      await askNps(ctx, conversationId);
    });
  },
};
