import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { VULNERABILITY_KINDS, type ContactMergeResult } from "../../shared/wire/index.ts";
import { presentContact } from "../presenters/presentContact.ts";
import { forbidden, notFound } from "../errors.ts";
import { authorizeContact, contactSearchScope, isContactStaff } from "./contactPolicy.ts";
import { findMerge, presentVulnerability, searchContacts } from "./contactQueries.ts";
import { recordVulnerability, removeVulnerability } from "./vulnerability.ts";
import { mergeContacts, undoContactMerge } from "./commands/mergeContacts.ts";

const idParams = z.object({ id: z.string().uuid() });

/**
 * One customer across channels (issue #17 §3): the vulnerability flag, contact search,
 * merging contacts and undoing a merge. The profile itself is GET /contacts/{id}
 * (services/web/routes/directory.ts), which shows the flag and the merges.
 */
export function contactRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/contacts",
    tag: "contacts",
    summary:
      "Search contacts by name, e-mail, phone or customer id (for “Merge into…”); an agent finds those of conversations they may read",
    auth: "agent",
    query: z.object({
      q: z.string().trim().min(2, "Type at least 2 characters").max(100),
      limit: z.coerce.number().int().min(1).max(50).default(20),
    }),
    handler: async ({ query, actor }) => {
      if (!isContactStaff(actor)) throw forbidden("Agents only");
      const rows = await searchContacts(ctx.db, query.q, contactSearchScope(actor), query.limit);
      return { items: rows.map(presentContact) };
    },
  });

  api.add({
    method: "put",
    path: "/contacts/{id}/vulnerability",
    tag: "contacts",
    summary:
      "Record (or change) the customer's vulnerability flag, with their consent: their new conversations go to the inbox's vulnerable-customers team and the assistant hands off sensitive matters sooner (audited)",
    auth: "agent",
    params: idParams,
    body: z
      .object({
        kind: z.enum(VULNERABILITY_KINDS),
        consentConfirmed: z.literal(true, { error: "Record the flag only with the customer's consent" }),
        note: z.string().trim().min(1, "Say briefly what the customer told you").max(1000),
      })
      .strict(),
    handler: async ({ params, body, actor, req }) => {
      const { contact } = await authorizeContact(ctx.db, actor, params.id);
      if (actor.type !== "agent") throw forbidden();
      const v = await recordVulnerability(ctx, { actor, contactId: contact.id, ...body, ip: req.ip });
      return { vulnerability: presentVulnerability(v) };
    },
  });

  api.add({
    method: "delete",
    path: "/contacts/{id}/vulnerability",
    tag: "contacts",
    summary: "Remove the customer's vulnerability flag (audited)",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor, req }) => {
      const { contact } = await authorizeContact(ctx.db, actor, params.id);
      if (actor.type !== "agent") throw forbidden();
      return removeVulnerability(ctx, { actor, contactId: contact.id, ip: req.ip });
    },
  });

  api.add({
    method: "post",
    path: "/contacts/{id}/merge",
    tag: "contacts",
    summary:
      "Merge this contact into another (`into`): its conversations, complaint cases and channel identities move there; recorded so it can be undone (audited)",
    auth: "agent",
    status: 201,
    params: idParams,
    body: z.object({ into: z.string().uuid() }).strict(),
    handler: async ({ params, body, actor, req }): Promise<ContactMergeResult> => {
      // Both customers must be ones the agent serves: a merge shows each one's history in the other's.
      await authorizeContact(ctx.db, actor, params.id);
      await authorizeContact(ctx.db, actor, body.into);
      if (actor.type !== "agent") throw forbidden();
      const r = await mergeContacts(ctx, { actor, mergedId: params.id, survivorId: body.into, ip: req.ip });
      return {
        mergeId: r.mergeId,
        survivorId: body.into,
        moved: {
          conversations: r.moved.conversations.length,
          cases: r.moved.cases.length,
          channelIdentities: r.moved.channelIdentities.length,
        },
      };
    },
  });

  api.add({
    method: "post",
    path: "/contact-merges/{id}/undo",
    tag: "contacts",
    summary: "Undo a merge: exactly what it moved goes back to the merged contact (audited)",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor, req }) => {
      if (!isContactStaff(actor)) throw forbidden("Agents only");
      const merge = await findMerge(ctx.db, params.id);
      if (!merge) throw notFound("Merge");
      // The merged conversations are the survivor's now: who may see it may split them off.
      await authorizeContact(ctx.db, actor, merge.survivor_id);
      const { merge: undone } = await undoContactMerge(ctx, { actor, mergeId: merge.id, ip: req.ip });
      return { id: undone.id, survivorId: undone.survivor_id, mergedId: undone.merged_id, undoneAt: undone.undone_at };
    },
  });
}
