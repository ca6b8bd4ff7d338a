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
   JOIN messages m ON m.conversation_id = c.id
   WHERE c.status = 'pending'
     AND c.last_activity_at > now() - interval '${LOOK_BACK}'
     AND m.message_type = 'incoming' AND m.private = false AND btrim(m.content) <> ''
     AND m.created_at > now() - interval '${LOOK_BACK}'
     AND m.created_at < now() - $1 * interval '1 millisecond'
     -- The assistant's reply to a message carries the client id bot:<message id>.
     AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = c.id AND r.client_id = 'bot:' || m.id::text)
     -- Written before a person had the conversation (an agent's reply or a status
     -- change since): that person answered it, not the assistant.
     AND NOT EXISTS (
       SELECT 1 FROM messages h
       WHERE h.conversation_id = c.id AND h.seq > m.seq
         AND (h.message_type = 'activity' OR (h.message_type = 'outgoing' AND h.sender_type <> 'bot'))
     )
   ORDER BY m.created_at
   LIMIT $2`,
);

/**
 * Customer questions the assistant never answered, for its reply to be queued
 * again. The reply job is queued when the message is stored; if that enqueue is
 * lost (Redis down, and the process that held it in memory then dies) the customer
 * would wait forever in a conversation no human sees as theirs. Every customer
 * message of a bot-owned (`pending`) conversation counts, not only the last: a
 * customer who wrote again after a crash has a newer message answered and the
 * older one still owed (11 of 598 in the hostile test's kill -9 were so). One
 * without the assistant's reply after UNANSWERED_AFTER_MS has lost its job.
 * Re-queueing is safe: the job id is the message's (a job still queued is not
 * added twice) and the job skips a message already answered.
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
