import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { AppError } from "../errors.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { accessFrom, recordDisclosure } from "../accessLog/recordAccess.ts";
import { RETENTION_ACTIONS } from "./purgeConversation.ts";
import { placeLegalHold, presentLegalHold, releaseLegalHold, type LegalHoldRow } from "./legalHolds.ts";
import { eraseContact, exportContactData } from "./privacyRequests.ts";
import { runRetention } from "./runRetention.ts";

const uuidParams = z.object({ id: z.string().uuid() });
const reason = z.string().trim().min(3).max(1000);

/** Retention periods, legal holds and privacy requests: admins only, all audited. */
export function retentionRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "put",
    path: "/admin/inboxes/{id}/retention",
    tag: "admin",
    summary:
      "An inbox's retention: days after a conversation is resolved (null: kept) and whether it is then deleted or anonymised (content removed, figures kept)",
    auth: "agent",
    params: uuidParams,
    body: z.object({ days: z.number().int().min(1).max(36500).nullable(), action: z.enum(RETENTION_ACTIONS) }).strict(),
    handler: async ({ params, body, actor, req }) => {
      authorize(canAdminister(actor), "Only admins can set retention");
      return ctx.db.transaction(async (tx) => {
        const before = (
          await tx.query<{ retention_days: number | null; retention_action: string }>(
            "SELECT retention_days, retention_action FROM inboxes WHERE id = $1 FOR UPDATE",
            [params.id],
          )
        ).rows[0];
        if (!before) throw new AppError("not_found", "Inbox not found");
        await tx.query("UPDATE inboxes SET retention_days = $2, retention_action = $3 WHERE id = $1", [params.id, body.days, body.action]);
        await writeAudit(tx, {
          actor,
          action: "inbox.retention_updated",
          targetType: "inbox",
          targetId: params.id,
          data: { from: { days: before.retention_days, action: before.retention_action }, to: body },
          ip: req.ip,
        });
        return { inboxId: params.id, days: body.days, action: body.action };
      });
    },
  });

  api.add({
    method: "get",
    path: "/admin/legal-holds",
    tag: "admin",
    summary: "Legal holds, active first; filter by customer or conversation",
    auth: "agent",
    query: z.object({
      contactId: z.string().uuid().optional(),
      conversationId: z.string().uuid().optional(),
      active: z.enum(["true", "false"]).optional(),
    }),
    handler: async ({ query, actor }) => {
      authorize(canAdminister(actor), "Legal holds are for admins");
      const { rows } = await ctx.db.query<LegalHoldRow>(
        `SELECT * FROM legal_holds
          WHERE ($1::uuid IS NULL OR contact_id = $1) AND ($2::uuid IS NULL OR conversation_id = $2)
            AND ($3::boolean IS NULL OR (released_at IS NULL) = $3)
          ORDER BY (released_at IS NULL) DESC, created_at DESC LIMIT 500`,
        [query.contactId ?? null, query.conversationId ?? null, query.active === undefined ? null : query.active === "true"],
      );
      return { items: rows.map(presentLegalHold) };
    },
  });

  api.add({
    method: "post",
    path: "/admin/legal-holds",
    tag: "admin",
    summary: "Place a legal hold on a customer or a conversation, with the reason: retention and erasure stop for it",
    auth: "agent",
    status: 201,
    body: z
      .object({ contactId: z.string().uuid().optional(), conversationId: z.string().uuid().optional(), reason })
      .strict()
      .refine((b) => Boolean(b.contactId) !== Boolean(b.conversationId), "Give either contactId or conversationId"),
    handler: async ({ body, actor, req }) => presentLegalHold(await placeLegalHold(ctx, { actor, ...body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/admin/legal-holds/{id}/release",
    tag: "admin",
    summary: "Release a legal hold, with the reason; the hold stays on record",
    auth: "agent",
    params: uuidParams,
    body: z.object({ reason }).strict(),
    handler: async ({ params, body, actor, req }) =>
      presentLegalHold(await releaseLegalHold(ctx, { actor, id: params.id, reason: body.reason, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/admin/retention/run",
    tag: "admin",
    summary: "Run retention now (it also runs daily on the queue); returns and audits the counts",
    auth: "agent",
    handler: async ({ actor }) => {
      authorize(canAdminister(actor), "Only admins can run retention");
      return runRetention(ctx);
    },
  });

  api.add({
    method: "get",
    path: "/admin/privacy/contacts/{id}/export",
    tag: "admin",
    summary: "Everything held about a customer (privacy access request) as JSON; audited and on the access log",
    auth: "agent",
    params: uuidParams,
    handler: async ({ params, actor, req }) => {
      authorize(canAdminister(actor), "Only admins can export a customer's data");
      await recordDisclosure(ctx.db, ctx.logger, {
        ...accessFrom(actor, req),
        subjectType: "privacy_export",
        subjectId: params.id,
        contactId: params.id,
      });
      return exportContactData(ctx, { actor, contactId: params.id, ip: req.ip });
    },
  });

  api.add({
    method: "post",
    path: "/admin/privacy/contacts/{id}/erase",
    tag: "admin",
    summary:
      "Erase a customer (privacy erasure request): conversations deleted, contact anonymised; refused (409) under a legal hold; audited",
    auth: "agent",
    params: uuidParams,
    handler: async ({ params, actor, req }) => eraseContact(ctx, { actor, contactId: params.id, ip: req.ip }),
  });
}
