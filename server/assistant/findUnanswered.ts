import { statement, type Queryable } from "../db/Database.ts";

/** A question unanswered this long is taken for lost (a reply normally takes well under a second). */
export const UNANSWERED_AFTER_MS = 30_000;
/** How often worker processes look (and once when they start). */
export const SWEEP_INTERVAL_MS = 60_000;
/** Older questions are left to the humans: the customer has likely gone. */
const LOOK_BACK = "1 day";

const UNANSWERED = statement(
  `SELECT c.id AS conversation_id, m.id AS message_id
   FROM conversations c
   JOIN LATERAL (
     SELECT id, message_type, content FROM messages
     WHERE conversation_id = c.id AND private = false AND message_type <> 'activity'
     ORDER BY seq DESC LIMIT 1
   ) m ON true
   WHERE c.status = 'pending'
     AND c.last_activity_at > now() - interval '${LOOK_BACK}'
     AND c.last_activity_at < now() - $1 * interval '1 millisecond'
     AND m.message_type = 'incoming' AND btrim(m.content) <> ''
   ORDER BY c.last_activity_at
   LIMIT $2`,
);

/**
 * Customer questions the assistant never answered, for its reply to be queued
 * again. The reply job is queued when the message is stored; if that enqueue is
 * lost (Redis down, and the process that held it in memory then dies) the customer
 * would wait forever in a conversation no human sees as theirs. A bot-owned
 * (`pending`) conversation whose last public message is the customer's, quiet for
 * UNANSWERED_AFTER_MS, has lost its job. Re-queueing is safe: the job id is the
 * message's (a job still queued is not added twice) and the job skips a message
 * already answered.
 */
export async function findUnanswered(
  db: Queryable,
  opts: { olderThanMs?: number; limit?: number } = {},
): Promise<Array<{ conversationId: string; messageId: string }>> {
  const { rows } = await db.query<{ conversation_id: string; message_id: string }>(UNANSWERED, [
    opts.olderThanMs ?? UNANSWERED_AFTER_MS,
    opts.limit ?? 200,
  ]);
  return rows.map((r) => ({ conversationId: r.conversation_id, messageId: r.message_id }));
}
