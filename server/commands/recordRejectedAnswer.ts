import type { AppContext } from "../context.ts";
import { BOT } from "../actor.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import { isRateableAnswer } from "../policies/answerFeedbackPolicy.ts";
import { recordAnswerFeedback } from "./recordAnswerFeedback.ts";

/**
 * A customer's message that rejects the assistant's previous answer ("that didn't
 * answer my question", "不是这个": assistant/decideHandoff.ts rejectsAnswer) is their
 * verdict on that answer, given in words: recorded as not helpful, like a 👎, so that
 * containment leaves the conversation out and the content team sees the question and
 * the passage that missed. The answer is the assistant's last public reply before
 * that message; nothing is written when it is no answer from the knowledge base or
 * was already marked not helpful (a retried reply job records it once).
 */
export async function recordRejectedAnswer(
  ctx: AppContext,
  props: { conversation: ConversationRow; rejectingMessageId: string },
): Promise<void> {
  const updated = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<MessageRow>(
      `SELECT * FROM messages
       WHERE conversation_id = $1 AND sender_type = 'bot' AND message_type = 'outgoing' AND private = false
         AND seq < (SELECT seq FROM messages WHERE id = $2 AND conversation_id = $1)
       ORDER BY seq DESC LIMIT 1 FOR UPDATE`,
      [props.conversation.id, props.rejectingMessageId],
    );
    const answer = rows[0];
    if (!answer || !isRateableAnswer(answer)) return undefined;
    // The assistant read the verdict from the customer's words: on record as its doing.
    return recordAnswerFeedback(tx, { actor: BOT, answer, rating: "not_helpful", via: "words" });
  });
  if (updated) ctx.bus.emit("message.updated", { conversation: props.conversation, message: updated });
}
