import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { postMessage } from "../commands/postMessage.ts";
import { detectLanguage, type Language } from "../assistant/language.ts";

export const NPS_ASK_JOB = "nps.ask";

/**
 * Channels where the question goes out as a message and a numeric reply is the answer
 * (the website asks in the widget). On the API channel the question reaches the bank's
 * app as a message with `attributes.kind: "nps_survey"`: the app shows it as text or as
 * its own 0–10 picker, and answers with a message ("9 quick") or
 * POST /channels/api/conversations/{id}/nps (channels/api.ts).
 */
export const NPS_BY_MESSAGE = new Set<InboxRow["channel"]>(["email", "sms", "whatsapp", "wechat", "api"]);

/**
 * Channels that take a free-form message only within hours of the customer's last one:
 * WeChat's customer-service messages within 48 hours of the user's last interaction
 * (errcode 45015 after), WhatsApp's within its 24-hour customer-service window (a
 * template otherwise, which BankDesk does not send). A conversation resolved later is
 * not surveyed there: the question could not be delivered, and a survey recorded as
 * pending would count in the report as asked.
 */
export const REPLY_WINDOW_HOURS: Partial<Record<InboxRow["channel"], number>> = { wechat: 48, whatsapp: 24 };

const QUESTION: Record<Language, string> = {
  en: 'How likely are you to recommend us to a friend or colleague? Reply with a number from 0 (not at all likely) to 10 (extremely likely), and tell us why if you like, e.g. "9 - quick and clear".',
  zh: "您有多大可能向朋友或同事推荐我们？请回复 0（完全不可能）到 10（非常可能）之间的数字，也欢迎告诉我们原因，例如“9 回复快又清楚”。",
};

/** The listener (a row of events/listeners.ts): a conversation resolved on an inbox that asks queues the survey on a worker. */
export function npsTriggers(ctx: AppContext) {
  return {
    statusChanged: async ({ conversation, to }: DomainEvents["conversation.status_changed"]) => {
      if (to !== "resolved") return;
      await ctx.queue.enqueue(NPS_ASK_JOB, { conversationId: conversation.id }, { jobId: `nps-ask:${conversation.id}` });
    },
  };
}

/**
 * Opens the survey of a resolved conversation when its inbox asks (settings.npsEnabled):
 * a pending row, once per conversation whatever happens later (re-opened and resolved
 * again: not asked twice). On e-mail, SMS, WhatsApp and WeChat the question is posted
 * as the assistant's reply, so it is delivered like any reply, in the customer's
 * language (of their last message), where the channel still lets us write to them
 * (REPLY_WINDOW_HOURS); the widget asks in its own window. Returns whether it asked.
 */
export async function askNps(ctx: AppContext, conversationId: string): Promise<boolean> {
  const { rows } = await ctx.db.query<ConversationRow & { inbox_settings: InboxRow["settings"]; channel: InboxRow["channel"] }>(
    `SELECT c.*, i.settings AS inbox_settings, i.channel FROM conversations c JOIN inboxes i ON i.id = c.inbox_id WHERE c.id = $1`,
    [conversationId],
  );
  const c = rows[0];
  if (!c || c.status !== "resolved" || !c.inbox_settings?.npsEnabled) return false;
  const windowHours = REPLY_WINDOW_HOURS[c.channel];
  if (windowHours !== undefined) {
    // The window runs from the customer's last message on this account, in any of their conversations there.
    const { rows: open } = await ctx.db.query<{ open: boolean }>(
      `SELECT COALESCE(max(m.created_at) > now() - make_interval(hours => $3), false) AS open
       FROM messages m JOIN conversations v ON v.id = m.conversation_id
       WHERE v.contact_id = $1 AND v.inbox_id = $2 AND m.message_type = 'incoming'`,
      [c.contact_id, c.inbox_id, windowHours],
    );
    if (!open[0]!.open) {
      ctx.logger.info({ conversationId: c.id, channel: c.channel, windowHours }, "NPS not asked: past the channel's reply window");
      return false;
    }
  }
  const inserted = await ctx.db.query(
    `INSERT INTO nps_responses (conversation_id, contact_id, inbox_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [c.id, c.contact_id, c.inbox_id],
  );
  if (!inserted.rowCount) return false;
  if (!NPS_BY_MESSAGE.has(c.channel)) return true;
  const last = await ctx.db.query<{ content: string }>(
    `SELECT content FROM messages WHERE conversation_id = $1 AND message_type = 'incoming' ORDER BY seq DESC LIMIT 1`,
    [c.id],
  );
  const language = detectLanguage(last.rows[0]?.content ?? "");
  const { message } = await postMessage(ctx, {
    conversationId: c.id,
    messageType: "outgoing",
    senderType: "bot",
    content: QUESTION[language],
    // The client id makes a retried job post it once.
    clientId: `nps:${c.id}`,
    contentAttributes: { kind: "nps_survey" },
  });
  await ctx.db.query("UPDATE nps_responses SET question_message_id = $2 WHERE conversation_id = $1", [c.id, message.id]);
  return true;
}
