import { z } from "zod";
import { CONVERSATION_VIEWS, type ConversationPage, type MessagePage } from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";
import type { AppContext } from "../../../context.ts";
import type { Actor } from "../../../actor.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "../../../models/conversations.ts";
import { findContactRef, findConversation, findCsat, listMessages } from "../../../conversations/queries.ts";
import { countViews, listConversations } from "../../../conversations/listConversations.ts";
import { authorizeRead, canSeePrivateNotes } from "../../../policies/conversationPolicy.ts";
import { presentConversation } from "../../../presenters/presentConversation.ts";
import { presentMessage } from "../../../presenters/presentMessage.ts";
import { postMessage } from "../../../commands/postMessage.ts";
import { changeConversationStatus } from "../../../commands/changeConversationStatus.ts";
import { assignConversation } from "../../../assignment/commands/assignConversation.ts";
import { updateConversation } from "../../../commands/updateConversation.ts";
import { AppError } from "../../../errors.ts";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { uploadAttachment } from "../../../attachments/commands/uploadAttachment.ts";
import { claimAttachments, linkAttachments, MAX_ATTACHMENTS_PER_MESSAGE } from "../../../attachments/commands/claimAttachments.ts";
import { presentAttachment } from "../../../attachments/presentAttachment.ts";
import { readRawBody } from "./widget.ts";
import { slaOfConversations } from "../../../sla/slaQueries.ts";
import { accessFrom, recordView } from "../../../accessLog/recordAccess.ts";
import { segmentCriteria } from "../../../segments/segments.ts";

const idParams = z.object({ id: z.string().uuid() });

/** Conversations and messages for the console and integrations. */
export function conversationRoutes(api: ApiRouter, ctx: AppContext) {
  const uploads = new RateLimiterMemory({ points: 30, duration: 60 });
  api.add({
    method: "get",
    path: "/conversations",
    tag: "conversations",
    summary: "List conversations visible to the agent, sorted by waiting time (or `sort=sla`: soonest service-level due time first)",
    auth: "agent",
    query: z.object({
      view: z.enum(CONVERSATION_VIEWS).optional(),
      status: z.enum(CONVERSATION_STATUSES).optional(),
      teamId: z.string().uuid().optional(),
      inboxId: z.string().uuid().optional(),
      label: z.string().max(50).optional(),
      priority: z.enum(PRIORITIES).optional(),
      sentiment: z.enum(["negative", "neutral", "positive"]).optional(),
      contactId: z.string().uuid().optional(),
      /** A saved customer segment (GET /segments). */
      segmentId: z.string().uuid().optional(),
      q: z.string().trim().min(1).max(200).optional(),
      sort: z.enum(["waiting", "sla"]).default("waiting"),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).max(100_000).default(0),
    }),
    handler: async ({ query, actor }): Promise<Presented<ConversationPage>> => {
      const { segmentId, ...filters } = query;
      const segment = segmentId ? await segmentCriteria(ctx.db, segmentId) : undefined;
      const { items, total } = await listConversations(ctx.db, actor, { ...filters, segment });
      const slas = await slaOfConversations(ctx.db, items);
      return {
        total,
        items: items.map((c) =>
          presentConversation(c, "agent", {
            contact: { id: c.contact_id, name: c.contact_name, verified: c.contact_verified },
            lastMessage: c.last_message,
            sla: slas.get(c.id) ?? null,
          }),
        ),
      };
    },
  });

  api.add({
    method: "get",
    path: "/conversations/counts",
    tag: "conversations",
    summary: "How many conversations each inbox view holds, for the console's navigation",
    auth: "agent",
    handler: async ({ actor }) => countViews(ctx.db, actor),
  });

  api.add({
    method: "get",
    path: "/conversations/{id}",
    tag: "conversations",
    summary: "Get one conversation",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor, req }) => {
      const c = authorizeRead(actor, await findConversation(ctx.db, params.id));
      await recordView(ctx.db, ctx.logger, {
        ...accessFrom(actor, req),
        subjectType: "conversation",
        subjectId: c.id,
        contactId: c.contact_id,
        conversationId: c.id,
      });
      const contact = await findContactRef(ctx.db, c.contact_id);
      const rating = await findCsat(ctx.db, c.id);
      const csat = rating ? { rating: rating.rating, comment: rating.comment, createdAt: rating.created_at } : null;
      const sla = (await slaOfConversations(ctx.db, [c])).get(c.id) ?? null;
      return presentConversation(c, "agent", { contact, csat, sla });
    },
  });

  api.add({
    method: "get",
    path: "/conversations/{id}/messages",
    tag: "conversations",
    summary: "Messages after a sequence number (private notes included for agents)",
    auth: "agent",
    params: idParams,
    query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(500) }),
    handler: async ({ params, query, actor, req }): Promise<Presented<MessagePage>> => {
      const c = authorizeRead(actor, await findConversation(ctx.db, params.id));
      // Reading from the start is reading the conversation (an integration may skip
      // GET /conversations/{id}); the console's catch-up reads after a seq are not.
      if (query.after === 0 && actor.type === "agent") {
        await recordView(ctx.db, ctx.logger, {
          ...accessFrom(actor, req),
          subjectType: "conversation",
          subjectId: c.id,
          contactId: c.contact_id,
          conversationId: c.id,
        });
      }
      const rows = await listMessages(ctx.db, c.id, {
        afterSeq: query.after,
        includePrivate: canSeePrivateNotes(actor),
        limit: query.limit,
      });
      return { items: rows.map((m) => presentMessage(m, "agent")) };
    },
  });

  api.add({
    method: "post",
    path: "/conversations/{id}/messages",
    tag: "conversations",
    summary: "Reply to the customer, or add a private note",
    auth: "agent",
    status: 201,
    params: idParams,
    body: z.object({
      content: z.string().max(ctx.config.MAX_MESSAGE_LENGTH).default(""),
      private: z.boolean().default(false),
      clientId: z.string().min(1).max(100).optional(),
      attachmentIds: z.array(z.string().uuid()).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
      /** An unassigned conversation goes to the agent who answers it first (as in Chatwoot); false leaves it unassigned. */
      assignToMe: z.boolean().default(true),
    }),
    handler: async ({ params, body, actor }) => {
      if (actor.type !== "agent") throw new AppError("forbidden", "Agents only");
      const c = authorizeRead(actor, await findConversation(ctx.db, params.id));
      if (actor.role === "content") throw new AppError("forbidden", "Content editors cannot reply");
      if (!body.private && body.assignToMe && c.assignee_id === null) await takeOnReply(actor, c.id);
      // Only the agent's own uploads, not yet in another conversation (a re-send binds them again, harmlessly).
      const attachments = await claimAttachments(ctx, { agentId: actor.id, conversationId: c.id, ids: body.attachmentIds ?? [] });
      const { message, duplicate } = await postMessage(ctx, {
        conversationId: c.id,
        messageType: "outgoing",
        senderType: "agent",
        senderId: actor.id,
        content: body.content,
        private: body.private,
        clientId: body.clientId,
        attachments,
      });
      if (!duplicate) await linkAttachments(ctx, message.id, attachments);
      return presentMessage(message, "agent");
    },
  });

  /** Assigns the replying agent, unless someone took the conversation meanwhile (they keep it). */
  async function takeOnReply(actor: Extract<Actor, { type: "agent" }>, conversationId: string) {
    try {
      await assignConversation(ctx, { actor, conversationId, assigneeId: actor.id, expectedAssigneeId: null });
    } catch (err) {
      if (!(err instanceof AppError && err.code === "conflict")) throw err;
    }
  }

  api.add({
    method: "post",
    path: "/conversations/{id}/attachments",
    tag: "conversations",
    summary:
      "Upload a file for an agent's reply (raw bytes as the body, e.g. application/octet-stream; ?name=file name). Images and PDF, checked by content; send its id in the reply's attachmentIds",
    auth: "agent",
    status: 201,
    params: idParams,
    query: z.object({ name: z.string().max(300).optional() }),
    handler: async ({ params, query, actor, req }) => {
      if (actor.type !== "agent") throw new AppError("forbidden", "Agents only");
      authorizeRead(actor, await findConversation(ctx.db, params.id));
      if (actor.role === "content") throw new AppError("forbidden", "Content editors cannot reply");
      try {
        await uploads.consume(actor.id);
      } catch {
        throw new AppError("rate_limited", "Too many files at once, please wait a moment");
      }
      const data = await readRawBody(req, ctx.config.MAX_ATTACHMENT_BYTES);
      const { attachment } = await uploadAttachment(ctx, { actor, data, name: query.name });
      return { attachment: presentAttachment(attachment) };
    },
  });

  api.add({
    method: "post",
    path: "/conversations/{id}/status",
    tag: "conversations",
    summary: "Resolve, snooze, re-open, or return to the bot",
    auth: "agent",
    params: idParams,
    body: z.object({ status: z.enum(CONVERSATION_STATUSES), snoozedUntil: z.coerce.date().optional() }),
    handler: async ({ params, body, actor }) =>
      presentConversation(
        await changeConversationStatus(ctx, { actor, conversationId: params.id, status: body.status, snoozedUntil: body.snoozedUntil }),
      ),
  });

  api.add({
    method: "post",
    path: "/conversations/{id}/assignment",
    tag: "conversations",
    summary: "Assign to an agent and/or a team (null unassigns)",
    auth: "agent",
    params: idParams,
    body: z.object({
      assigneeId: z.string().uuid().nullable().optional(),
      teamId: z.string().uuid().nullable().optional(),
      expectedAssigneeId: z.string().uuid().nullable().optional(),
    }),
    handler: async ({ params, body, actor }) =>
      presentConversation(await assignConversation(ctx, { actor, conversationId: params.id, ...body })),
  });

  api.add({
    method: "patch",
    path: "/conversations/{id}",
    tag: "conversations",
    summary: "Set priority and labels",
    auth: "agent",
    params: idParams,
    body: z.object({ priority: z.enum(PRIORITIES).optional(), labels: z.array(z.string().min(1).max(50)).max(20).optional() }),
    handler: async ({ params, body, actor }) =>
      presentConversation(await updateConversation(ctx, { actor, conversationId: params.id, ...body })),
  });
}
