import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { presentConversation } from "../presenters/presentConversation.ts";
import { thresholdCreateSchema, thresholdUpdateSchema } from "./thresholdInput.ts";
import { acknowledgeAlert, createThreshold, deleteThreshold, updateThreshold } from "./thresholdCommands.ts";
import { ALERT_SELECT, presentAlert, presentThreshold, THRESHOLD_SELECT } from "./presentAlert.ts";
import type { AlertRow, ThresholdRow } from "./types.ts";
import type { EarlyWarningAlertDetail } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";

const id = z.object({ id: z.string().uuid() });

/**
 * Early warning under /api/v1/early-warning: the thresholds (admins set them; audited)
 * and the alerts they raised, each with the conversations behind it. Admins only:
 * an alert points at conversations of every team.
 */
export function earlyWarningRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/early-warning/thresholds",
    tag: "early-warning",
    summary:
      "Early-warning thresholds: metric, value that raises an alert, window, and the inbox it watches (null: the organisation's, for every inbox without its own threshold of that metric)",
    auth: "agent",
    handler: async ({ actor }) => {
      authorize(canAdminister(actor));
      const { rows } = await ctx.db.query<ThresholdRow>(
        `${THRESHOLD_SELECT} ORDER BY t.active DESC, t.inbox_id IS NOT NULL, i.name, t.created_at, t.id`,
      );
      return { items: rows.map(presentThreshold) };
    },
  });

  api.add({
    method: "post",
    path: "/early-warning/thresholds",
    tag: "early-warning",
    summary:
      "Add a threshold: complaints_per_category, negative_share (0–1), sla_breaches or unanswered_question, at or above `threshold` within `windowMinutes`; with `inboxId` it watches that inbox, which then leaves the organisation's thresholds of the metric (admins)",
    auth: "agent",
    status: 201,
    body: thresholdCreateSchema,
    handler: async ({ body, actor, req }) => presentThreshold(await createThreshold(ctx, { actor, input: body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/early-warning/thresholds/{id}",
    tag: "early-warning",
    summary: "Change a threshold, or switch it off (`active: false`, which closes its open alerts) (admins)",
    auth: "agent",
    params: id,
    body: thresholdUpdateSchema,
    handler: async ({ params, body, actor, req }) =>
      presentThreshold(await updateThreshold(ctx, { actor, id: params.id, change: body, ip: req.ip })),
  });

  api.add({
    method: "delete",
    path: "/early-warning/thresholds/{id}",
    tag: "early-warning",
    summary: "Delete a threshold and its alerts (admins)",
    auth: "agent",
    status: 204,
    params: id,
    handler: async ({ params, actor, req }) => {
      await deleteThreshold(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "get",
    path: "/early-warning/alerts",
    tag: "early-warning",
    summary: "Alerts raised by the thresholds, newest first: `open` (not recovered) or `all` (the last 200)",
    auth: "agent",
    query: z.object({ state: z.enum(["open", "all"]).default("open") }),
    handler: async ({ query, actor }) => {
      authorize(canAdminister(actor));
      const { rows } = await ctx.db.query<AlertRow>(
        `${ALERT_SELECT} ${query.state === "open" ? "WHERE a.recovered_at IS NULL" : ""} ORDER BY a.raised_at DESC, a.id LIMIT 200`,
      );
      return { items: rows.map(presentAlert) };
    },
  });

  api.add({
    method: "get",
    path: "/early-warning/alerts/{id}",
    tag: "early-warning",
    summary: "One alert with the conversations behind it",
    auth: "agent",
    params: id,
    handler: async ({ params, actor }): Promise<Presented<EarlyWarningAlertDetail>> => {
      authorize(canAdminister(actor));
      const alert = (await ctx.db.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [params.id])).rows[0];
      if (!alert) throw notFound("Alert");
      const { rows } = await ctx.db.query<ConversationRow & { contact_name: string | null; contact_verified: boolean }>(
        `SELECT c.*, ct.name AS contact_name, ct.verified AS contact_verified FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
         WHERE c.id = ANY($1::uuid[]) ORDER BY c.last_activity_at DESC`,
        [alert.conversation_ids],
      );
      return {
        alert: presentAlert(alert),
        conversations: rows.map(({ contact_name, contact_verified, ...c }) =>
          presentConversation(c, "agent", { contact: { id: c.contact_id, name: contact_name, verified: contact_verified } }),
        ),
      };
    },
  });

  api.add({
    method: "post",
    path: "/early-warning/alerts/{id}/acknowledge",
    tag: "early-warning",
    summary: "Mark an alert seen: it leaves the console's banner (admins; audited)",
    auth: "agent",
    params: id,
    handler: async ({ params, actor, req }) => presentAlert(await acknowledgeAlert(ctx, { actor, id: params.id, ip: req.ip })),
  });
}
