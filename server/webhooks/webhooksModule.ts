import type { Module } from "../Module.ts";
import { WEBHOOK_JOB, deliverWebhook, requeueUndeliveredMessages, type WebhookJob } from "./deliverWebhook.ts";
import { webhookRoutes } from "./webhookRoutes.ts";
import { resealWebhookSecret } from "./webhookSecrets.ts";
import { sealedColumn } from "../commands/resealSecrets.ts";

/**
 * Outgoing webhooks: admins register URLs for domain events; each event becomes a
 * signed delivery job per webhook, retried with backoff, every attempt logged
 * (webhookFanOut's listeners, subscribed in server/events/listeners.ts).
 */
export const webhooksModule: Module = {
  name: "webhooks",
  routes: webhookRoutes,
  sealedSecrets: [
    sealedColumn({
      table: "webhooks",
      keys: ["id"],
      column: "secret",
      where: (r) => `webhook ${String(r.id)}: signing secret`,
      reseal: resealWebhookSecret,
    }),
  ],
  tasks(ctx) {
    ctx.queue.register<WebhookJob>(WEBHOOK_JOB, (data, job) => deliverWebhook(ctx, data, job), {
      attempts: ctx.config.WEBHOOK_DELIVERY_ATTEMPTS,
      backoffMs: ctx.config.WEBHOOK_DELIVERY_BACKOFF_MS,
    });
  },
  async started(ctx, services) {
    if (!services.has("worker")) return;
    await requeueUndeliveredMessages(ctx).catch((err) => ctx.logger.warn({ err }, "webhook delivery recovery failed"));
  },
};
