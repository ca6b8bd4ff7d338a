import crypto from "node:crypto";
import type { Request } from "express";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { MessageRow } from "../models/conversations.ts";
import { AppError } from "../errors.ts";
import { hashToken } from "../auth/identity.ts";
import { receiveChannelMessage } from "../commands/receiveChannelMessage.ts";
import { isConversationOfInbox, isConversationOfSource, listMessages } from "../conversations/queries.ts";
import { presentConversation } from "../presenters/presentConversation.ts";
import { presentMessage } from "../presenters/presentMessage.ts";
import { presentContact } from "../presenters/presentContact.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { SIGNATURE_HEADER, signWebhook } from "../webhooks/signature.ts";
import type { ChannelAdapter } from "./ChannelAdapter.ts";
import { findApiInboxByKeyHash, parseChannelConfig, type ChannelInboxRow } from "./channelInboxes.ts";
import { providerRequest } from "./providerRequest.ts";
import { recordNps } from "../nps/recordNps.ts";

const configSchema = z.object({
  /** Where replies are POSTed (the bank's app backend). */
  webhookUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be http(s)"),
  /** Signs those POSTs (X-BankDesk-Signature, as outgoing webhooks). */
  webhookSecret: z.string().min(16).max(200),
});
export type ApiChannelConfig = z.infer<typeof configSchema>;

/** A new API key: shown once; only its SHA-256 is stored (inboxes.api_key_hash). */
export function newApiKey(): { key: string; hash: string } {
  const key = `bdk_${crypto.randomBytes(32).toString("base64url")}`;
  return { key, hash: hashToken(key) };
}

/**
 * The API channel, for the bank's own apps: they create contacts and messages with
 * the inbox's API key, and receive replies as signed POSTs to their webhook URL.
 */
export const apiAdapter: ChannelAdapter<ApiChannelConfig> = {
  channel: "api",
  configSchema,
  secretKeys: ["webhookSecret"],
  destinationKeys: ["webhookUrl"],

  async send(ctx, { config, conversation, message, sourceId }) {
    const body = JSON.stringify({
      event: "message.created",
      sourceId,
      conversation: presentConversation(conversation, "contact"),
      message: presentMessage(message, "contact"),
    });
    await providerRequest(ctx.outbound, "The API channel's webhook", config.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "BankDesk-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhook(config.webhookSecret, body),
        "X-BankDesk-Event": "message.created",
      },
      body,
      timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
      expectJson: false,
    });
    return { providerId: null };
  },
};

/** The inbox whose API key the request carries (Authorization: Bearer bdk_...). */
async function authenticateApiKey(ctx: AppContext, req: Request): Promise<ChannelInboxRow> {
  const header = req.get("authorization") ?? "";
  const key = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
  if (!key || key.length > 200) throw new AppError("unauthenticated", "Missing API key (Authorization: Bearer <key>)");
  const inbox = await findApiInboxByKeyHash(ctx, hashToken(key));
  if (!inbox) {
    ctx.logger.warn({ channel: "api", ip: req.ip, path: req.path }, "API channel key refused");
    throw new AppError("unauthenticated", "Unknown API key");
  }
  return inbox;
}

const sourceId = z.string().min(1).max(200);
const contactFields = {
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().email().max(200).optional(),
  phone: z.string().min(3).max(40).optional(),
};

/** REST endpoints of the API channel under /api/v1/channels/api (authenticated by the inbox's API key, not a session). */
export function apiChannelRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "post",
    path: "/channels/api/messages",
    tag: "channels",
    summary: "API channel: a customer message from the bank's app (Authorization: Bearer <inbox API key>); idempotent on messageId",
    auth: "none",
    status: 201,
    body: z.object({
      sourceId,
      /** The app's own id for this message: sending it again stores nothing new. */
      messageId: z.string().min(1).max(200),
      content: z.string().min(1).max(ctx.config.MAX_MESSAGE_LENGTH),
      /** Continue this conversation (one of this contact's on this inbox); otherwise the latest open one or a new one. */
      conversationId: z.string().uuid().optional(),
      contact: z.object(contactFields).optional(),
    }),
    handler: async ({ body, req }) => {
      const inbox = await authenticateApiKey(ctx, req);
      parseChannelConfig(ctx, apiAdapter, inbox);
      if (body.conversationId) {
        if (!(await isConversationOfSource(ctx.db, body.conversationId, inbox.id, body.sourceId)))
          throw new AppError("not_found", "Conversation not found");
      }
      const r = await receiveChannelMessage(ctx, {
        inbox,
        sourceId: body.sourceId,
        contact: body.contact,
        providerMessageId: body.messageId,
        content: body.content,
        ...(body.conversationId ? { threadRefs: [], threadConversationId: body.conversationId } : {}),
      });
      return {
        contact: presentContact(r.contact),
        conversation: presentConversation(r.conversation, "contact"),
        message: presentMessage(r.message, "contact"),
        duplicate: r.duplicate,
      };
    },
  });

  api.add({
    method: "get",
    path: "/channels/api/conversations/{id}/messages",
    tag: "channels",
    summary: "API channel: a conversation's public messages after a sequence number (Authorization: Bearer <inbox API key>)",
    auth: "none",
    params: z.object({ id: z.string().uuid() }),
    query: z.object({ afterSeq: z.coerce.number().int().min(0).default(0) }),
    handler: async ({ params, query, req }) => {
      const inbox = await authenticateApiKey(ctx, req);
      if (!(await isConversationOfInbox(ctx.db, params.id, inbox.id))) throw new AppError("not_found", "Conversation not found");
      const rows: MessageRow[] = await listMessages(ctx.db, params.id, { afterSeq: query.afterSeq, includePrivate: false });
      return { items: rows.filter((m) => m.message_type !== "activity").map((m) => presentMessage(m, "contact")) };
    },
  });

  api.add({
    method: "post",
    path: "/channels/api/conversations/{id}/nps",
    tag: "channels",
    summary:
      "API channel: the customer's answer to the NPS survey sent after resolution (a message with attributes.kind nps_survey), from the app's own 0–10 picker; a second answer replaces the first",
    auth: "none",
    params: z.object({ id: z.string().uuid() }),
    body: z.object({ score: z.number().int().min(0).max(10), comment: z.string().max(1000).nullable().optional() }).strict(),
    handler: async ({ params, body, req }) => {
      const inbox = await authenticateApiKey(ctx, req);
      if (!(await isConversationOfInbox(ctx.db, params.id, inbox.id))) throw new AppError("not_found", "Conversation not found");
      // Only a survey that was sent is answered this way: the app cannot rate a conversation nobody asked about.
      const asked = await ctx.db.query("SELECT 1 FROM nps_responses WHERE conversation_id = $1 AND question_message_id IS NOT NULL", [
        params.id,
      ]);
      if (!asked.rowCount) throw new AppError("conflict", "No NPS survey was sent in this conversation");
      const row = await recordNps(ctx, { conversationId: params.id, score: body.score, comment: body.comment ?? null, via: "app" });
      return { score: row!.score, comment: row!.comment, answeredAt: row!.answered_at };
    },
  });
}
