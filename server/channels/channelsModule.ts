import type { Module } from "../Module.ts";
import { AppError } from "../errors.ts";
import { closeMailer } from "../mail/mailerFor.ts";
import { channelAdapters } from "./adapters.ts";
import { channelRoutes } from "./channelRoutes.ts";
import { channelConfigSecrets } from "./channelSecrets.ts";
import { DELIVER_JOB, deliverReply, type DeliverJob } from "./deliverReply.ts";
import { onDemand } from "../onDemand.ts";

// Express and its rate limiter (~15 MB of idle RSS) are loaded when a web process mounts the
// webhooks, not in a worker, which loads this module for its delivery jobs.
const express = onDemand<typeof import("express")>("express");
const rateLimiting = onDemand<typeof import("express-rate-limit")>("express-rate-limit");

/**
 * E-mail, SMS (Twilio), WhatsApp, WeChat and the API channel. Inbound: provider
 * webhooks under /webhooks (outside /api/v1: no session, CSRF or JSON parser; the
 * raw body is kept for signatures; rate- and size-limited). Outbound: every reply
 * in such a conversation becomes a delivery job with retries, its status on the message
 * (queueReplyDelivery, listening to `message.created` in server/events/listeners.ts).
 */
export const channelsModule: Module = {
  name: "channels",

  routes: channelRoutes,

  sealedSecrets: [channelConfigSecrets],

  mount(app, ctx) {
    const router = express().Router();
    for (const adapter of Object.values(channelAdapters)) adapter.webhooks?.(router, ctx);
    const limiter = rateLimiting().rateLimit({
      windowMs: 60_000,
      limit: ctx.config.INBOUND_WEBHOOK_RATE_LIMIT,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError("rate_limited", "Too many webhook requests, slow down")),
    });
    app.use("/webhooks", limiter, router, (_req, _res, next) => next(new AppError("not_found", "No such webhook")));
  },

  tasks(ctx) {
    const attempts = ctx.config.CHANNEL_DELIVERY_ATTEMPTS;
    ctx.queue.register<DeliverJob>(DELIVER_JOB, (data, job) => deliverReply(ctx, data, job, attempts), {
      attempts,
      backoffMs: ctx.config.CHANNEL_DELIVERY_BACKOFF_MS,
    });
  },

  async stop(ctx) {
    closeMailer(ctx);
  },
};
