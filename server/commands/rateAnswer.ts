import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { AnswerRating } from "../models/answerFeedback.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import { authorizeRating } from "../policies/answerFeedbackPolicy.ts";
import { recordAnswerFeedback } from "./recordAnswerFeedback.ts";

/**
 * The customer's 👍 / 👎 under one of the assistant's answers (the widget's buttons).
 * The caller has authorised the conversation as the customer's; the answer must be one
 * of its messages and an answer from the knowledge base (policies/answerFeedbackPolicy).
 * Clicking again, or the other button, is idempotent or a change of mind: one row per
 * answer (commands/recordAnswerFeedback). The agents watching see it on the message.
 */
export async function rateAnswer(
  ctx: AppContext,
  props: { actor: Actor; conversation: ConversationRow; messageId: string; rating: AnswerRating },
): Promise<MessageRow> {
  const { answer, updated } = await ctx.db.transaction(async (tx) => {
    // The lock orders two clicks on the same answer (two tabs): the second sees the first's row.
    const { rows } = await tx.query<MessageRow>("SELECT * FROM messages WHERE id = $1 AND conversation_id = $2 FOR UPDATE", [
      props.messageId,
      props.conversation.id,
    ]);
    const answer = authorizeRating(rows[0]);
    return { answer, updated: await recordAnswerFeedback(tx, { actor: props.actor, answer, rating: props.rating, via: "button" }) };
  });
  if (updated) ctx.bus.emit("message.updated", { conversation: props.conversation, message: updated });
  return updated ?? answer;
}
