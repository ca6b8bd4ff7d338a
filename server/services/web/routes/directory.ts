import { z } from "zod";
import { satisfactionHistory } from "../../../nps/npsReport.ts";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { presentAgent } from "../../../presenters/presentAgent.ts";
import { presentContact } from "../../../presenters/presentContact.ts";
import { presentEmotionalProfile } from "../../../presenters/presentEmotionalProfile.ts";
import { loadEmotionalProfile } from "../../../assistant/sentiment/loadEmotionalProfile.ts";
import { presentConversation } from "../../../presenters/presentConversation.ts";
import { presentInboxRef } from "../../../presenters/presentInboxRef.ts";
import { canReadConversation } from "../../../policies/conversationPolicy.ts";
import { coreBankingFor } from "../../../banking/createCoreBanking.ts";
import { isCoreBankingUnavailable } from "../../../banking/errors.ts";
import { writeAudit } from "../../../audit/writeAudit.ts";
import { accessFrom, recordDisclosure, recordView } from "../../../accessLog/recordAccess.ts";
import { AppError } from "../../../errors.ts";
import type { BankingError, CannedResponseRef, ContactProfile, InboxRefList, TeamRefList } from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";
import { listActiveAgents } from "../../../agents/agentQueries.ts";
import { listTeamRefs } from "../../../teams/teamQueries.ts";
import { findContact, listConversationsOfContact, listInboxRefs } from "../../../conversations/queries.ts";
import { listCannedResponseShortcuts } from "../../../cannedResponses/cannedResponseQueries.ts";
import { loadContactProfile } from "../../../contacts/contactQueries.ts";

/** Agents, teams, contacts and canned responses for the console. */
export function directoryRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/agents",
    tag: "directory",
    summary: "Agents with their teams and presence",
    auth: "agent",
    handler: async () => {
      return { items: (await listActiveAgents(ctx.db)).map((a) => presentAgent(a, a.team_ids)) };
    },
  });

  api.add({
    method: "get",
    path: "/teams",
    tag: "directory",
    summary: "Teams",
    auth: "agent",
    handler: async (): Promise<Presented<TeamRefList>> => ({ items: await listTeamRefs(ctx.db) }),
  });

  api.add({
    method: "get",
    path: "/inboxes",
    tag: "directory",
    summary: "Inboxes (id, slug, name, channel) for filtering conversations and reports; no settings or secrets",
    auth: "agent",
    handler: async (): Promise<Presented<InboxRefList>> => ({
      items: (await listInboxRefs(ctx.db)).map(presentInboxRef),
    }),
  });

  api.add({
    method: "get",
    path: "/canned-responses",
    tag: "directory",
    summary: "Canned responses (reply shortcuts)",
    auth: "agent",
    handler: async () => ({
      items: (await listCannedResponseShortcuts(ctx.db)).map((r): CannedResponseRef => ({
        shortCode: r.short_code,
        content: r.content,
      })),
    }),
  });

  api.add({
    method: "get",
    path: "/contacts/{id}",
    tag: "directory",
    summary:
      "A contact with their conversations, their emotional profile over those conversations (the assistant's reading of their messages: average, trend across conversations and within each, recent negative episodes) its vulnerability flag, the merges into it and its complaint cases, and, for a verified customer, the core-banking view (audited; `bankingError` when the core is unavailable)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    handler: async ({ params, actor, req }): Promise<Presented<ContactProfile>> => {
      if (actor.type !== "agent" || actor.role === "content") throw new AppError("forbidden", "Agents only");
      const contact = await findContact(ctx.db, params.id);
      if (!contact) throw new AppError("not_found", "Contact not found");
      const convs = (await listConversationsOfContact(ctx.db, contact.id)).filter((c) => canReadConversation(actor, c));
      // An agent sees a customer only through a conversation they may read.
      if (convs.length === 0 && actor.role !== "admin") throw new AppError("not_found", "Contact not found");
      const access = accessFrom(actor, req);
      await recordView(ctx.db, ctx.logger, { ...access, subjectType: "contact", subjectId: contact.id, contactId: contact.id });
      let banking: Presented<ContactProfile["banking"]> = null;
      let bankingError: BankingError | undefined;
      if (contact.verified && contact.external_id) {
        const core = coreBankingFor(ctx);
        let read: Presented<ContactProfile["banking"]> = null;
        try {
          const [accounts, cards, transactions] = await Promise.all([
            core.accounts(contact.external_id),
            core.cards(contact.external_id),
            core.transactions(contact.external_id, { limit: 10 }),
          ]);
          read = { accounts, cards, transactions: transactions.items };
        } catch (err) {
          // The core being down is when agents most need the rest of the profile (the
          // assistant has just handed its customers over): that still comes, without banking.
          if (!isCoreBankingUnavailable(err)) throw err;
          ctx.logger.warn({ failure: err.failure, status: err.upstreamStatus }, "core banking unavailable for the contact view");
          bankingError = "core_banking_unavailable";
        }
        if (read) {
          // Account data is handed out only once its read is on the access log (fail closed);
          // without it the rest of the profile still comes.
          const logged = await recordDisclosure(ctx.db, ctx.logger, {
            ...access,
            subjectType: "account_data",
            subjectId: contact.id,
            contactId: contact.id,
          }).then(
            () => true,
            () => false,
          );
          if (logged) {
            banking = read;
            await writeAudit(ctx.db, { actor, action: "banking.viewed", targetType: "contact", targetId: contact.id, ip: req.ip });
          } else bankingError = "access_log_unavailable";
        }
      }
      return {
        contact: presentContact(contact),
        conversations: convs.map((c) => presentConversation(c)),
        // Over the conversations this agent may read only: the profile tells no more than they do.
        emotionalProfile: presentEmotionalProfile(
          await loadEmotionalProfile(
            ctx.db,
            convs.map((c) => c.id),
          ),
        ),
        // CSAT and NPS answers side by side, over the same conversations.
        satisfaction: await satisfactionHistory(
          ctx.db,
          convs.map((c) => c.id),
        ),
        // The vulnerability flag, the merges into this contact (undoable) and its complaint cases.
        ...(await loadContactProfile(ctx.db, actor, contact.id)),
        banking,
        ...(bankingError ? { bankingError } : {}),
      };
    },
  });
}
