import type { Request } from "express";
import type { WidgetSession } from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";
import { z } from "zod";
import { emailAddressVerified } from "../../../contacts/verifiedEmails.ts";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { findWidgetSession, startWidgetSession } from "../../../commands/startWidgetSession.ts";
import { revokeWidgetSessions } from "../../../commands/revokeWidgetSessions.ts";
import { submitPreChatForm } from "../../../commands/submitPreChatForm.ts";
import { formatBytes, uploadAttachment } from "../../../attachments/commands/uploadAttachment.ts";
import { presentConversation } from "../../../presenters/presentConversation.ts";
import { presentAttachment } from "../../../attachments/presentAttachment.ts";
import { listConversations } from "../../../conversations/listConversations.ts";
import { findConversation } from "../../../conversations/queries.ts";
import { inboxAvailability } from "../../../conversations/availability.ts";
import { preChatFieldsOf } from "../../../conversations/preChatForm.ts";
import type { ContactRow } from "../../../models/contacts.ts";
import { findAttachment } from "../../../attachments/attachmentQueries.ts";
import { attachmentStore } from "../../../attachments/AttachmentStore.ts";
import { authorizeAttachmentRead } from "../../../policies/attachmentPolicy.ts";
import { createAuthenticator } from "../authenticate.ts";
import { AppError } from "../../../errors.ts";
import { accessFrom, recordView } from "../../../accessLog/recordAccess.ts";
import { uuid } from "../../../validation.ts";

const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()]);

/** The contact as the widget sees it, and whether it should ask the pre-chat form. */
function widgetContact(contact: ContactRow) {
  return { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone };
}

/**
 * The widget's HTTP side: sessions (start, end), the pre-chat form, availability,
 * attachments (upload, download). Messages go over the /widget socket.
 */
export function widgetRoutes(api: ApiRouter, ctx: AppContext) {
  const uploads = new RateLimiterMemory({ points: 20, duration: 60 });
  const authenticate = createAuthenticator(ctx);

  api.add({
    method: "post",
    path: "/widget/sessions",
    tag: "widget",
    summary: "Start or resume a widget session (optionally with a verified identity)",
    auth: "none",
    status: 201,
    body: z.object({
      inbox: z.string().min(1).max(100),
      token: z.string().min(1).max(200).optional(),
      userId: z.string().min(1).max(200).optional(),
      identityHash: z.string().min(1).max(200).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      email: z.string().email().max(200).optional(),
      /** The page's HMAC of the signed-in customer's e-mail address (auth/identity.ts emailIdentityHash). */
      emailHash: z.string().min(1).max(200).optional(),
      attributes: z.record(z.string().max(50), attributeValue).optional(),
    }),
    handler: async ({ body, req }) => {
      const s = await startWidgetSession(ctx, { ...body, ip: req.ip, origin: req.get("origin") });
      // The bank signed this address for its customer: the contacts holding it verified (e-mail) become this one.
      if (s.verifiedEmail)
        await emailAddressVerified(ctx, {
          contactId: s.contact.id,
          address: s.verifiedEmail,
          method: "widget_identity",
          inboxId: s.inbox.id,
        });
      const [{ items }, availability] = await Promise.all([
        listConversations(ctx.db, { type: "contact", id: s.contact.id, verified: s.verified }, { limit: 20 }),
        inboxAvailability(ctx.db, s.inbox),
      ]);
      const fields = s.verified ? null : preChatFieldsOf(s.inbox.settings);
      return {
        token: s.token,
        verified: s.verified,
        contact: widgetContact(s.contact),
        inbox: {
          name: s.inbox.name,
          greeting: s.inbox.settings.greeting ?? null,
          preChatFields: s.inbox.settings.preChatFields ?? [],
          csatEnabled: s.inbox.settings.csatEnabled ?? true,
          npsEnabled: s.inbox.settings.npsEnabled ?? false,
          maxAttachmentBytes: ctx.config.MAX_ATTACHMENT_BYTES,
        },
        // Asked before the first message of a visitor who has not filled it in (nor been identified).
        preChat: fields && !s.contact.attributes.preChatAt && !items.length ? { fields } : null,
        availability,
        conversations: items.map((c) => presentConversation(c, "contact")),
      } satisfies Presented<WidgetSession>;
    },
  });

  api.add({
    method: "delete",
    path: "/widget/sessions/current",
    tag: "widget",
    summary: "End this widget session (BankDesk('shutdown')): the token is revoked everywhere",
    auth: "widget",
    handler: async ({ req }) => {
      await revokeWidgetSessions(ctx, { token: bearer(req), ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "post",
    path: "/contacts/{id}/widget-sessions/revoke",
    tag: "widget",
    summary: "End every widget session of a contact (staff): their stored tokens stop working",
    auth: "agent",
    params: z.object({ id: uuid }),
    handler: async ({ params, actor, req }) => revokeWidgetSessions(ctx, { actor, contactId: params.id, ip: req.ip }),
  });

  api.add({
    method: "get",
    path: "/widget/availability",
    tag: "widget",
    summary: "Whether a person can answer now (agents online, working hours)",
    auth: "widget",
    handler: async ({ req }) => {
      return inboxAvailability(ctx.db, await inboxOf(req));
    },
  });

  api.add({
    method: "post",
    path: "/widget/prechat",
    tag: "widget",
    summary: "Submit the inbox's pre-chat form (name, e-mail, phone), saved on the contact",
    auth: "widget",
    body: z.record(z.string().max(20), z.unknown()),
    handler: async ({ body, actor, req }) => {
      const contact = await submitPreChatForm(ctx, {
        contactId: (actor as { id: string }).id,
        inbox: await inboxOf(req),
        verified: actor.type === "contact" && actor.verified,
        values: body,
      });
      return { contact: widgetContact(contact) };
    },
  });

  api.add({
    method: "post",
    path: "/widget/attachments",
    tag: "widget",
    summary:
      "Upload a file to attach (raw bytes as the body, e.g. application/octet-stream; ?name=file name). Images and PDF, checked by content",
    auth: "widget",
    status: 201,
    query: z.object({ name: z.string().max(300).optional(), clientId: z.string().min(1).max(100).optional() }),
    handler: async ({ query, actor, req }) => {
      try {
        await uploads.consume((actor as { id: string }).id);
      } catch {
        throw new AppError("rate_limited", "Too many files at once, please wait a moment");
      }
      const data = await readRawBody(req, ctx.config.MAX_ATTACHMENT_BYTES);
      // Re-sent with the same clientId: the first upload's attachment again (201 both times).
      const { attachment } = await uploadAttachment(ctx, { actor, data, name: query.name, clientId: query.clientId });
      return { attachment: presentAttachment(attachment) };
    },
  });

  api.add({
    method: "get",
    path: "/attachments/{id}",
    tag: "widget",
    summary: "Download an attachment: the conversation's customer (widget token) or an agent who may read it",
    auth: "none",
    params: z.object({ id: uuid }),
    handler: async ({ params, req, res }) => {
      const actor = await authenticate(req, req.get("authorization")?.startsWith("Bearer ") ? "widget" : "agent");
      const row = await findAttachment(ctx.db, params.id);
      const conversation = row?.conversation_id ? await findConversation(ctx.db, row.conversation_id) : undefined;
      const a = authorizeAttachmentRead(actor, row, conversation);
      // Staff opening a customer's file is a read like opening the conversation (recordView skips customers).
      await recordView(ctx.db, ctx.logger, {
        ...accessFrom(actor, req),
        subjectType: "attachment",
        subjectId: a.id,
        contactId: conversation?.contact_id ?? a.contact_id,
        conversationId: a.conversation_id,
      });
      const data = await attachmentStore(ctx.config).get(a.storage_key);
      const image = a.content_type.startsWith("image/");
      res.set({
        "Content-Type": a.content_type,
        "Content-Length": String(data.length),
        // Images open in the browser; documents are downloaded, never rendered on our origin.
        "Content-Disposition": `${image ? "inline" : "attachment"}; filename="${a.name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "private, max-age=300",
        "Cross-Origin-Resource-Policy": "cross-origin",
      });
      res.status(200).end(data);
      return undefined;
    },
  });

  /** The inbox of the session making this request (authenticated already). */
  async function inboxOf(req: Request) {
    const session = await findWidgetSession(ctx, bearer(req));
    if (!session) throw new AppError("unauthenticated", "Unknown or revoked widget session");
    return session.inbox;
  }
}

function bearer(req: Request): string {
  const header = req.get("authorization") ?? "";
  return header.startsWith("Bearer ") ? header.slice(7) : "";
}

/** The request body as bytes, refusing (413) more than `limit` before reading it all. */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `A file may be at most ${formatBytes(limit)}`);
  const declared = Number(req.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge();
  if ((req.get("content-type") ?? "").startsWith("multipart/")) {
    throw new AppError("validation_error", "Send the file's bytes as the request body (not multipart)");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.unpipe?.();
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
