import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { createWebhook } from "./commands/createWebhook.ts";
import { updateWebhook } from "./commands/updateWebhook.ts";
import { deleteWebhook } from "./commands/deleteWebhook.ts";
import { presentWebhook, presentWebhookDelivery } from "./presentWebhook.ts";
import { AppError } from "../errors.ts";
import { WEBHOOK_EVENTS } from "./types.ts";
import { findWebhook, listWebhookDeliveries, listWebhooks } from "./webhookQueries.ts";

const url = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");
const events = z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length);
const idParams = z.object({ id: z.string().uuid() });

/** Outgoing webhooks, admins only: register URLs for events, see every delivery attempt. */
export function webhookRoutes(api: ApiRouter, ctx: AppContext) {
  const admin = (actor: Parameters<typeof canAdminister>[0]) => authorize(canAdminister(actor));

  api.add({
    method: "get",
    path: "/webhooks",
    tag: "webhooks",
    summary: "Outgoing webhooks",
    auth: "agent",
    handler: async ({ actor }) => {
      admin(actor);
      return { items: (await listWebhooks(ctx.db)).map(presentWebhook), events: WEBHOOK_EVENTS };
    },
  });

  api.add({
    method: "post",
    path: "/webhooks",
    tag: "webhooks",
    summary: "Register a webhook; the response carries its signing secret, shown this once",
    auth: "agent",
    status: 201,
    body: z.object({ url, events, description: z.string().max(500).nullish(), active: z.boolean().optional() }),
    handler: async ({ body, actor, req }) => {
      const w = await createWebhook(ctx, { actor, ...body, ip: req.ip });
      return { ...presentWebhook(w), secret: w.secret };
    },
  });

  api.add({
    method: "get",
    path: "/webhooks/{id}",
    tag: "webhooks",
    summary: "One webhook",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor }) => {
      admin(actor);
      const webhook = await findWebhook(ctx.db, params.id);
      if (!webhook) throw new AppError("not_found", "Webhook not found");
      return presentWebhook(webhook);
    },
  });

  api.add({
    method: "patch",
    path: "/webhooks/{id}",
    tag: "webhooks",
    summary: "Change a webhook (URL, events, description, active) or rotate its secret (returned once)",
    auth: "agent",
    params: idParams,
    body: z.object({
      url: url.optional(),
      events: events.optional(),
      description: z.string().max(500).nullish(),
      active: z.boolean().optional(),
      rotateSecret: z.boolean().optional(),
    }),
    handler: async ({ params, body, actor, req }) => {
      const w = await updateWebhook(ctx, { actor, id: params.id, ...body, ip: req.ip });
      return { ...presentWebhook(w), ...(body.rotateSecret ? { secret: w.secret } : {}) };
    },
  });

  api.add({
    method: "delete",
    path: "/webhooks/{id}",
    tag: "webhooks",
    summary: "Delete a webhook and its delivery log",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor, req }) => {
      await deleteWebhook(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "get",
    path: "/webhooks/{id}/deliveries",
    tag: "webhooks",
    summary: "A webhook's delivery attempts, newest first",
    auth: "agent",
    params: idParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      /** Only attempts older than this delivery id (paging). */
      before: z.coerce.number().int().min(1).optional(),
    }),
    handler: async ({ params, query, actor }) => {
      admin(actor);
      if (!(await findWebhook(ctx.db, params.id))) throw new AppError("not_found", "Webhook not found");
      const deliveries = await listWebhookDeliveries(ctx.db, params.id, { before: query.before, limit: query.limit });
      return { items: deliveries.map(presentWebhookDelivery) };
    },
  });
}
