import crypto from "node:crypto";
import type { AddressObject, ParsedMail } from "mailparser";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { receiveChannelMessage } from "../commands/receiveChannelMessage.ts";
import { mailerFor } from "../mail/mailerFor.ts";
import { MailerNotConfigured } from "../mail/Mailer.ts";
import { ChannelError, type ChannelAdapter, type OutboundReply } from "./ChannelAdapter.ts";
import { bodyOf, fitMessage, handle, loadChannelInbox, rawBody, refuse } from "./channelInboxes.ts";
import { safeEqual } from "../security/safeEqual.ts";
import {
  addressDomain,
  conversationIdFromMessageId,
  normalizeMessageId,
  outboundMessageId,
  replySubject,
  stripQuotedReply,
  threadCandidates,
} from "./emailThreading.ts";
import { openEmailComplaint, sentToComplaintsAddress } from "../cases/openEmailComplaint.ts";
import type { ComplaintsSetting } from "../cases/jurisdictions.ts";
import { emailAddressVerified } from "../contacts/verifiedEmails.ts";
import { senderAuthenticated } from "./emailAuthentication.ts";

const configSchema = z.object({
  /** The inbox's address: the sender of replies, and what customers write to. */
  address: z.string().email(),
  /** Display name on replies ("Bayview Bank Support"). */
  fromName: z.string().min(1).max(100).optional(),
  /** Bearer token the mail relay presents on POST /webhooks/email. */
  inboundToken: z.string().min(16).max(200),
  /**
   * The authserv-id of the Authentication-Results header the bank's mail relay adds
   * (e.g. "mx.bank.example"). Set, a sender whose domain the relay authenticated (DMARC
   * pass for the From domain) has a verified address, and the contacts holding it merge
   * (contacts/verifiedEmails.ts). Unset, no sender is taken as verified.
   */
  authServId: z.string().trim().min(1).max(255).optional(),
});
export type EmailConfig = z.infer<typeof configSchema>;

/**
 * E-mail: inbound as a raw MIME message posted by the mail relay (Postfix pipe,
 * SES/SendGrid/Mailgun raw forwarding), parsed with mailparser and threaded by
 * Message-ID / In-Reply-To / References; outbound by SMTP with text and HTML parts
 * and the thread's headers so the customer's mail client threads the reply.
 */
export const emailAdapter: ChannelAdapter<EmailConfig> = {
  channel: "email",
  configSchema,
  secretKeys: ["inboundToken"],

  webhooks(router, ctx) {
    router.post(
      ["/email", "/email/:inbox"],
      rawBody(ctx.config.INBOUND_EMAIL_MAX_BYTES),
      handle(async (req, res) => {
        const { inbox, config } = await loadChannelInbox(ctx, emailAdapter, req.params.inbox as string | undefined);
        const auth = req.get("authorization") ?? "";
        if (!auth.startsWith("Bearer ")) refuse(ctx, req, "email", inbox, "Missing bearer token");
        if (!safeEqual(auth.slice(7).trim(), config.inboundToken)) refuse(ctx, req, "email", inbox, "Wrong bearer token");

        const raw = bodyOf(req);
        let mail: ParsedMail;
        try {
          // Loaded with the first e-mail (about 20 MB a process without an e-mail inbox need not hold).
          const { simpleParser } = await import("mailparser");
          mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
        } catch {
          throw new AppError("validation_error", "The body is not a MIME message");
        }
        const from = mail.from?.value[0];
        if (!from?.address || !z.string().email().safeParse(from.address).success) {
          throw new AppError("validation_error", "The message has no valid From address");
        }
        const sender = from.address.toLowerCase();
        // Our own mail coming back, or an auto-responder (out of office): storing it
        // would make the bot answer an auto-reply, which answers again, forever.
        const autoSubmitted = String(mail.headers.get("auto-submitted") ?? "no").toLowerCase();
        if (sender === config.address.toLowerCase() || autoSubmitted !== "no") {
          res.status(202).json({ ignored: sender === config.address.toLowerCase() ? "own_address" : "auto_submitted" });
          return;
        }
        // A message without a Message-ID still needs a stable id so a re-post is stored once.
        const messageId = mail.messageId
          ? normalizeMessageId(mail.messageId)
          : `sha256-${crypto.createHash("sha256").update(raw).digest("hex")}@bankdesk.invalid`;
        const refs = threadCandidates(mail.inReplyTo, mail.references);
        const attachments = mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size }));
        let text = stripQuotedReply(mail.text ?? "");
        if (!text.trim()) text = attachments.length ? `(${attachments.length} attachment(s), no text)` : "(empty message)";

        const complaints = (inbox.settings as { complaints?: ComplaintsSetting }).complaints;
        const toComplaints = sentToComplaintsAddress(complaints, recipientsOf(mail));
        const r = await receiveChannelMessage(ctx, {
          inbox,
          sourceId: sender,
          contact: { name: from.name || null, email: sender },
          providerMessageId: messageId,
          content: fitMessage(ctx, text),
          attributes: {
            email: {
              subject: mail.subject ?? null,
              messageId,
              from: sender,
              inReplyTo: refs[0] ?? null,
              date: mail.date?.toISOString() ?? null,
              attachments,
            },
          },
          threadRefs: refs,
          threadConversationId: refs.map(conversationIdFromMessageId).find(Boolean),
          externalRef: messageId,
          startWithPeople: toComplaints,
        });
        // Mail to the complaints address opens a case before the relay is told it was stored, so a
        // failure is retried by the relay (and the retry finds the message and, once opened, the case).
        const complaint = toComplaints
          ? await openEmailComplaint(ctx, { conversationId: r.conversation.id, subject: mail.subject ?? null, text })
          : undefined;
        // An authenticated sender's address is verified: the contacts holding it become one customer.
        // After the case, so that a merge moves it with the conversation (and an undo moves both back).
        if (senderAuthenticated(mail.headerLines, config.authServId, sender))
          await emailAddressVerified(ctx, { contactId: r.contact.id, address: sender, method: "email_authentication", inboxId: inbox.id });
        res.status(200).json({
          conversationId: r.conversation.id,
          messageId: r.message.id,
          duplicate: r.duplicate,
          ...(complaint ? { caseReference: complaint.case.reference } : {}),
        });
      }),
    );
  },

  async send(ctx, reply) {
    const { config, conversation, message } = reply;
    const to = reply.sourceId.includes("@") ? reply.sourceId : reply.contact.email;
    if (!to) throw new ChannelError("The contact has no e-mail address", false);
    const thread = await threadOf(ctx, reply);
    const from = config.fromName ? `"${config.fromName.replace(/["\\]/g, "")}" <${config.address}>` : config.address;
    try {
      const sent = await mailerFor(ctx).send({
        from,
        to,
        subject: thread.subject,
        text: message.content,
        html: toHtml(message.content),
        messageId: outboundMessageId(conversation.id, message.id, addressDomain(config.address)),
        inReplyTo: thread.inReplyTo,
        references: thread.references,
        // RFC 3834: the bot's answers are automatic, so well-behaved auto-responders stay quiet.
        headers: message.sender_type === "bot" ? { "Auto-Submitted": "auto-replied" } : {},
      });
      if (sent.accepted.length === 0) throw new ChannelError("The SMTP server accepted no recipient", false);
      return { providerId: sent.messageId };
    } catch (err) {
      if (err instanceof ChannelError) throw err;
      if (err instanceof MailerNotConfigured) throw new ChannelError(err.message, false);
      // SMTP 5xx is a permanent refusal; 4xx and connection trouble may pass on retry.
      const code = (err as { responseCode?: number }).responseCode;
      throw new ChannelError(`SMTP: ${code ? `${code} ` : ""}${(err as Error).message}`.slice(0, 300), !(code && code >= 500), code);
    }
  },
};

/** Who a message was sent to: To, Cc, and the relay's Delivered-To / X-Original-To (a Bcc or an alias). */
function recipientsOf(mail: ParsedMail): string[] {
  const listed = [mail.to, mail.cc]
    .flatMap((a): AddressObject[] => (a ? (Array.isArray(a) ? a : [a]) : []))
    .flatMap((a) => a.value.flatMap((v) => [v.address, ...(v.group ?? []).map((g) => g.address)]));
  const delivered = ["delivered-to", "x-original-to"].flatMap((h) => {
    const v = mail.headers.get(h);
    if (!v) return [];
    if (typeof v === "string") return v.split(",").map((x) => x.trim().replace(/^<|>$/g, ""));
    return (v as AddressObject).value?.map((x) => x.address) ?? [];
  });
  return [...listed, ...delivered].filter((a): a is string => Boolean(a));
}

/** Subject and reference chain of the conversation's e-mail thread, from what we stored. */
async function threadOf(ctx: AppContext, reply: OutboundReply<EmailConfig>) {
  const { rows } = await ctx.db.query<{ provider_id: string; direction: "in" | "out" }>(
    `SELECT provider_id, direction FROM channel_messages WHERE conversation_id = $1 AND inbox_id = $2 ORDER BY created_at, provider_id`,
    [reply.conversation.id, reply.inbox.id],
  );
  const subjectRow = await ctx.db.query<{ subject: string | null }>(
    `SELECT content_attributes->'channel'->'email'->>'subject' AS subject FROM messages
     WHERE conversation_id = $1 AND message_type = 'incoming' AND content_attributes->'channel'->'email' IS NOT NULL
     ORDER BY seq LIMIT 1`,
    [reply.conversation.id],
  );
  const subject = subjectRow.rows[0]?.subject;
  const lastIncoming = [...rows].reverse().find((r) => r.direction === "in")?.provider_id;
  return {
    subject: subject ? replySubject(subject) : `Your conversation #${reply.conversation.display_id} with ${reply.inbox.name}`,
    inReplyTo: lastIncoming,
    // The whole chain (capped: some servers refuse very long headers), oldest first.
    references: rows.map((r) => r.provider_id).slice(-20),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The reply as simple HTML: escaped, paragraphs and line breaks kept. */
export function toHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n/g, "\n")
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:14px;line-height:1.5">${paragraphs}</body></html>`;
}
