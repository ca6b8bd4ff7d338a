import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { postMessage } from "../commands/postMessage.ts";
import { NPS_BY_MESSAGE } from "./askNps.ts";
import { parseNpsReply } from "./npsScore.ts";
import { recordNps } from "./recordNps.ts";

/** A survey older than this takes no reply: "8" a month later is about something else. */
const PENDING_DAYS = 14;

/**
 * A customer's message on e-mail, SMS, WhatsApp or WeChat that answers their pending survey
 * (a number from 0 to 10 first: npsScore.ts parseNpsReply) is recorded as the answer
 * and kept in the surveyed conversation as an activity line, without re-opening it or
 * starting a new one. Anything else, or no pending survey: undefined, and the message
 * goes on as usual (receiveChannelMessage.ts).
 */
export async function answerNpsByReply(
  ctx: AppContext,
  props: { inbox: InboxRow; contact: ContactRow; content: string; providerMessageId: string; channelAttributes: Record<string, unknown> },
): Promise<{ conversation: ConversationRow; message: MessageRow } | undefined> {
  if (!NPS_BY_MESSAGE.has(props.inbox.channel)) return undefined;
  const answer = parseNpsReply(props.content);
  if (!answer) return undefined;
  const { rows } = await ctx.db.query<ConversationRow>(
    `SELECT c.* FROM nps_responses n JOIN conversations c ON c.id = n.conversation_id
     WHERE n.inbox_id = $1 AND n.contact_id = $2 AND n.score IS NULL AND n.question_message_id IS NOT NULL
       AND n.asked_at > now() - make_interval(days => $3) AND c.status = 'resolved'
     ORDER BY n.asked_at DESC LIMIT 1`,
    [props.inbox.id, props.contact.id, PENDING_DAYS],
  );
  const surveyed = rows[0];
  if (!surveyed) return undefined;
  const recorded = await recordNps(ctx, { conversationId: surveyed.id, score: answer.score, comment: answer.comment, via: "reply" });
  if (!recorded) return undefined; // answered meanwhile (another delivery of the same reply): an ordinary message
  const posted = await postMessage(ctx, {
    conversationId: surveyed.id,
    messageType: "activity",
    senderType: "system",
    content: answer.comment ? `NPS answer: ${answer.score} — ${answer.comment}` : `NPS answer: ${answer.score}`,
    clientId: `ch:${props.providerMessageId}`.slice(0, 200),
    contentAttributes: { kind: "nps_answer", score: answer.score, channel: props.channelAttributes },
  });
  return { conversation: posted.conversation, message: posted.message };
}
