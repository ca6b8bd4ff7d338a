import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { AnswerFeedbackRow, AnswerFeedbackVia, AnswerRating } from "../models/answerFeedback.ts";
import type { MessageRow } from "../models/conversations.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/**
 * Writes a verdict on one of the assistant's answers, inside the caller's transaction
 * (which has locked the answer's row and checked it may be rated). One verdict per
 * answer: the same rating again changes nothing (a double click, a retried job); a
 * different one overwrites it, with the time, and the change goes to the audit log.
 * The answer keeps a copy (content_attributes.feedback), as a channel reply keeps its
 * delivery status, so the widget and the console show it with the message without a
 * join on every message list. Returns the answer as updated, or undefined when
 * nothing changed.
 */
export async function recordAnswerFeedback(
  tx: Queryable,
  props: { actor: Actor; answer: MessageRow; rating: AnswerRating; via: AnswerFeedbackVia },
): Promise<MessageRow | undefined> {
  const { answer, rating, via } = props;
  const { rows: existing } = await tx.query<AnswerFeedbackRow>("SELECT * FROM answer_feedback WHERE message_id = $1", [answer.id]);
  const before = existing[0];
  if (before?.rating === rating) return undefined;
  const { rows } = await tx.query<MessageRow>(
    `WITH f AS (
       INSERT INTO answer_feedback (message_id, conversation_id, rating, via) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_id) DO UPDATE SET rating = EXCLUDED.rating, via = EXCLUDED.via, updated_at = now()
       RETURNING rating, via, updated_at
     )
     UPDATE messages m
     SET content_attributes = jsonb_set(m.content_attributes, '{feedback}',
           jsonb_build_object('rating', f.rating, 'via', f.via, 'updatedAt', f.updated_at))
     FROM f WHERE m.id = $1 RETURNING m.*`,
    [answer.id, answer.conversation_id, rating, via],
  );
  if (before) {
    await writeAudit(tx, {
      actor: props.actor,
      action: "answer_feedback.changed",
      targetType: "message",
      targetId: answer.id,
      data: { conversationId: answer.conversation_id, via, changes: { rating: { from: before.rating, to: rating } } },
    });
  }
  return rows[0];
}
