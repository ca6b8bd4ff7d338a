import type { AppContext } from "../context.ts";
import type { MessageRow } from "../models/conversations.ts";
import { findConversation, findInbox, listMessages } from "../conversations/queries.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { redactText } from "../privacy/redact.ts";
import { mailerFor } from "../mail/mailerFor.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export interface EmailTranscriptProps {
  contactId: string;
  conversationId: string;
  /** Already validated (contactEmail). */
  email: string;
}

const EVERY_MS = 2 * 60_000;

/**
 * E-mails a customer the transcript of one of their conversations: what they and
 * the bank said (never private notes), with card, account and ID numbers masked.
 * Without a mail server (SMTP_URL unset) nothing is sent and the answer says so;
 * the log records only that (no address, no content). At most one every two minutes.
 */
export async function emailTranscript(ctx: AppContext, props: EmailTranscriptProps): Promise<{ sent: boolean }> {
  const actor = { type: "contact" as const, id: props.contactId, verified: false };
  const c = authorizeRead(actor, await findConversation(ctx.db, props.conversationId));
  const recent = await ctx.db.query(
    "SELECT 1 FROM audit_log WHERE action = 'conversation.transcript_sent' AND target_id = $1 AND created_at > now() - make_interval(secs => $2)",
    [c.id, EVERY_MS / 1000],
  );
  if (recent.rows.length) throw new AppError("rate_limited", "A transcript was sent a moment ago; please wait a little");

  const mailer = mailerFor(ctx);
  if (!mailer.configured) {
    ctx.logger.info({ conversationId: c.id }, "transcript requested but no mail server is configured (SMTP_URL)");
    return { sent: false };
  }
  const [inbox, messages, agents] = await Promise.all([
    findInbox(ctx.db, c.inbox_id),
    listMessages(ctx.db, c.id, { includePrivate: false, limit: 1000 }),
    ctx.db.query<{ id: string; name: string }>(
      "SELECT id, name FROM agents WHERE id IN (SELECT sender_id FROM messages WHERE conversation_id = $1 AND sender_type = 'agent')",
      [c.id],
    ),
  ]);
  const bank = inbox?.name ?? "Customer service";
  const names = new Map(agents.rows.map((a) => [a.id, a.name]));
  const text = transcriptText(bank, c.display_id, messages, names);
  await mailer.send({
    to: props.email,
    subject: `${bank}: your conversation #${c.display_id}`,
    text,
    headers: { "Auto-Submitted": "auto-generated" },
  });
  await writeAudit(ctx.db, { actor, action: "conversation.transcript_sent", targetType: "conversation", targetId: c.id });
  return { sent: true };
}

/** The transcript as plain text (never HTML: nothing a customer or agent wrote can become markup). */
export function transcriptText(bank: string, displayId: number, messages: MessageRow[], agentNames: Map<string, string>): string {
  const lines = [
    `Your conversation #${displayId} with ${bank}`,
    "For your security, card, account and ID numbers are masked. We will never ask for your password or PIN, nor call you to ask for a one-time code.",
    "",
  ];
  for (const m of messages) {
    if (m.private) continue;
    const when = new Date(m.created_at).toISOString().slice(0, 16).replace("T", " ");
    const who =
      m.message_type === "activity"
        ? "—"
        : m.sender_type === "contact"
          ? "You"
          : m.sender_type === "bot"
            ? "Virtual assistant"
            : (names(agentNames, m.sender_id) ?? "Agent");
    const body = redactText(m.content).text.trim();
    const files = (m.attachments ?? []).map((a) => `[attachment: ${a.name}]`).join(" ");
    lines.push(`[${when} UTC] ${who}: ${[body, files].filter(Boolean).join(" ")}`);
  }
  return lines.join("\n") + "\n";
}

function names(map: Map<string, string>, id: string | null): string | undefined {
  return id ? map.get(id) : undefined;
}
