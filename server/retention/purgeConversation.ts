import type { Queryable } from "../db/Database.ts";
import { MESSAGE_EVENT_ID } from "../webhooks/deliverWebhook.ts";

export const RETENTION_ACTIONS = ["delete", "anonymise"] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

export interface PurgeCounts {
  conversations: number;
  messages: number;
  notes: number;
  attachments: number;
  failedJobs: number;
  webhookDeliveries: number;
}

export const emptyCounts = (): PurgeCounts => ({
  conversations: 0,
  messages: 0,
  notes: 0,
  attachments: 0,
  failedJobs: 0,
  webhookDeliveries: 0,
});

export function addCounts(a: PurgeCounts, b: PurgeCounts): PurgeCounts {
  return {
    conversations: a.conversations + b.conversations,
    messages: a.messages + b.messages,
    notes: a.notes + b.notes,
    attachments: a.attachments + b.attachments,
    failedJobs: a.failedJobs + b.failedJobs,
    webhookDeliveries: a.webhookDeliveries + b.webhookDeliveries,
  };
}

/** Active legal holds on a conversation or on its customer. */
export async function activeHoldsFor(db: Queryable, conversationId: string, contactId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM legal_holds
      WHERE released_at IS NULL AND (conversation_id = $1 OR contact_id = $2)`,
    [conversationId, contactId],
  );
  return rows[0]!.n;
}

/**
 * Removes one conversation's content, inside the caller's transaction (which has
 * locked the conversation and checked its holds): failed jobs and webhook delivery
 * logs about it, its attachments' rows, and then either the conversation itself
 * (`delete`: messages, notes, CSAT, channel ids and feedback go with it by cascade)
 * or its content (`anonymise`: notes deleted, message text, attributes and CSAT
 * comment emptied, the row kept with its figures for reports). Returns the counts and
 * the attachment storage keys, whose files the caller deletes after the commit (a
 * rollback must not have lost them; a crash in between leaves only unreferenced files).
 */
export async function purgeConversation(
  tx: Queryable,
  conversationId: string,
  action: RetentionAction,
): Promise<{ counts: PurgeCounts; storageKeys: string[] }> {
  const counts = emptyCounts();
  // Failed jobs carry the conversation id (assistant, assignment jobs) or a webhook body about it.
  counts.failedJobs = (
    await tx.query(`DELETE FROM failed_jobs WHERE data->>'conversationId' = $1 OR data #>> '{body,data,conversation,id}' = $1`, [
      conversationId,
    ])
  ).rowCount;
  // Deliveries record their conversation since migration 033; older ones of messages by their derived event id.
  counts.webhookDeliveries = (
    await tx.query(
      `DELETE FROM webhook_deliveries d WHERE d.conversation_id = $1
          OR d.event_id IN (SELECT ${MESSAGE_EVENT_ID("m.id")} FROM messages m WHERE m.conversation_id = $1)`,
      [conversationId],
    )
  ).rowCount;
  const attachments = await tx.query<{ storage_key: string }>("DELETE FROM attachments WHERE conversation_id = $1 RETURNING storage_key", [
    conversationId,
  ]);
  counts.attachments = attachments.rowCount;
  const tally = (
    await tx.query<{ messages: number; notes: number }>(
      `SELECT count(*) FILTER (WHERE NOT private)::int AS messages, count(*) FILTER (WHERE private)::int AS notes
         FROM messages WHERE conversation_id = $1`,
      [conversationId],
    )
  ).rows[0]!;
  counts.notes = tally.notes;
  counts.messages = tally.messages;
  if (action === "delete") {
    counts.conversations = (await tx.query("DELETE FROM conversations WHERE id = $1", [conversationId])).rowCount;
  } else {
    await tx.query("DELETE FROM messages WHERE conversation_id = $1 AND private", [conversationId]);
    await tx.query(
      `UPDATE messages SET content = '', content_attributes = '{}', attachments = '[]'
        WHERE conversation_id = $1 AND (content <> '' OR content_attributes <> '{}' OR attachments <> '[]')`,
      [conversationId],
    );
    await tx.query("UPDATE csat_responses SET comment = NULL WHERE conversation_id = $1", [conversationId]);
    await tx.query("UPDATE nps_responses SET comment = NULL WHERE conversation_id = $1", [conversationId]);
    await tx.query("DELETE FROM channel_messages WHERE conversation_id = $1", [conversationId]);
    await tx.query("DELETE FROM step_up_challenges WHERE conversation_id = $1", [conversationId]);
    counts.conversations = (
      await tx.query(
        `UPDATE conversations SET bot_state = '{}', external_ref = NULL, anonymised_at = now(), updated_at = now() WHERE id = $1`,
        [conversationId],
      )
    ).rowCount;
  }
  return { counts, storageKeys: attachments.rows.map((r) => r.storage_key) };
}

/**
 * Anonymises a customer with nothing left: no conversation with content, no
 * complaint case still holding its text (a regulatory record that names them) and no
 * active hold. Their
 * identifiers go (name, e-mail, phone, the bank's customer id, attributes), as do
 * the ways they are recognised on a channel and their widget sessions; the row stays
 * so that ids in the audit and access logs and in reports still join. Returns whether
 * it did, and the storage keys of uploads never sent.
 */
export async function anonymiseContactIfEmpty(tx: Queryable, contactId: string): Promise<{ anonymised: boolean; storageKeys: string[] }> {
  const left = (
    await tx.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM conversations WHERE contact_id = $1 AND anonymised_at IS NULL)
            + (SELECT count(*) FROM cases WHERE contact_id = $1 AND anonymised_at IS NULL)
            + (SELECT count(*) FROM legal_holds WHERE contact_id = $1 AND released_at IS NULL) AS n
         FROM contacts WHERE id = $1 AND anonymised_at IS NULL`,
      [contactId],
    )
  ).rows[0];
  if (!left || Number(left.n) > 0) return { anonymised: false, storageKeys: [] };
  return { anonymised: true, storageKeys: await anonymiseContact(tx, contactId) };
}

/** Removes a customer's identifiers (see anonymiseContactIfEmpty); returns storage keys of their unsent uploads. */
export async function anonymiseContact(tx: Queryable, contactId: string): Promise<string[]> {
  await tx.query(
    `UPDATE contacts SET name = NULL, email = NULL, phone = NULL, external_id = NULL, verified = false,
            attributes = '{}', anonymised_at = now(), updated_at = now() WHERE id = $1`,
    [contactId],
  );
  await tx.query("DELETE FROM contact_inboxes WHERE contact_id = $1", [contactId]);
  // Verified e-mail addresses (migration 051) are identifiers too, and would merge a new contact into this one.
  await tx.query("DELETE FROM contact_verified_emails WHERE contact_id = $1", [contactId]);
  await tx.query("DELETE FROM widget_sessions WHERE contact_id = $1", [contactId]);
  await tx.query("DELETE FROM step_up_challenges WHERE contact_id = $1", [contactId]);
  const uploads = await tx.query<{ storage_key: string }>("DELETE FROM attachments WHERE contact_id = $1 RETURNING storage_key", [
    contactId,
  ]);
  return uploads.rows.map((r) => r.storage_key);
}
