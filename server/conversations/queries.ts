import { statement, type Queryable } from "../db/Database.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";
import type { ContactRow } from "../models/contacts.ts";

/** Reads shared by several commands and handlers. Writes live in commands/. */

// Run on every message: kept prepared (db/Database.ts statement()).
const CONVERSATION_BY_ID = statement("SELECT * FROM conversations WHERE id = $1");
const CONVERSATION_BY_ID_FOR_UPDATE = statement("SELECT * FROM conversations WHERE id = $1 FOR UPDATE");
const INBOX_BY_ID = statement("SELECT * FROM inboxes WHERE id = $1");
const INBOX_BY_SLUG = statement("SELECT * FROM inboxes WHERE slug = $1");

export async function findConversation(
  db: Queryable,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ConversationRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<ConversationRow>(opts.forUpdate ? CONVERSATION_BY_ID_FOR_UPDATE : CONVERSATION_BY_ID, [id]);
  return rows[0];
}

export async function findInbox(db: Queryable, idOrSlug: string): Promise<InboxRow | undefined> {
  const { rows } = await db.query<InboxRow>(isUuid(idOrSlug) ? INBOX_BY_ID : INBOX_BY_SLUG, [idOrSlug]);
  return rows[0];
}

/** Every inbox, by name, settings included (presentInbox leaves the secrets out). */
export async function listInboxes(db: Queryable): Promise<InboxRow[]> {
  const { rows } = await db.query<InboxRow>("SELECT * FROM inboxes ORDER BY lower(name)");
  return rows;
}

/** Every inbox's id, slug, name and channel, by name: nothing else is read. */
export async function listInboxRefs(db: Queryable): Promise<Array<Pick<InboxRow, "id" | "slug" | "name" | "channel">>> {
  const { rows } = await db.query<Pick<InboxRow, "id" | "slug" | "name" | "channel">>(
    "SELECT id, slug, name, channel FROM inboxes ORDER BY name",
  );
  return rows;
}

export async function findContact(db: Queryable, id: string): Promise<ContactRow | undefined> {
  const { rows } = await db.query<ContactRow>("SELECT * FROM contacts WHERE id = $1", [id]);
  return rows[0];
}

/** A contact's conversations, newest first, at most 50. */
export async function listConversationsOfContact(db: Queryable, contactId: string): Promise<ConversationRow[]> {
  const { rows } = await db.query<ConversationRow>("SELECT * FROM conversations WHERE contact_id = $1 ORDER BY created_at DESC LIMIT 50", [
    contactId,
  ]);
  return rows;
}

/** The contact's id, name and whether they are verified: what a conversation shows of them. */
export async function findContactRef(db: Queryable, id: string): Promise<Pick<ContactRow, "id" | "name" | "verified"> | undefined> {
  const { rows } = await db.query<Pick<ContactRow, "id" | "name" | "verified">>("SELECT id, name, verified FROM contacts WHERE id = $1", [
    id,
  ]);
  return rows[0];
}

/** The customer's satisfaction rating of a conversation, if they gave one. */
export async function findCsat(
  db: Queryable,
  conversationId: string,
): Promise<{ rating: number; comment: string | null; created_at: Date } | undefined> {
  const { rows } = await db.query<{ rating: number; comment: string | null; created_at: Date }>(
    "SELECT rating, comment, created_at FROM csat_responses WHERE conversation_id = $1",
    [conversationId],
  );
  return rows[0];
}

/** Whether the conversation is one of this inbox's. */
export async function isConversationOfInbox(db: Queryable, conversationId: string, inboxId: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM conversations WHERE id = $1 AND inbox_id = $2", [conversationId, inboxId]);
  return (rowCount ?? 0) > 0;
}

/** Whether the conversation is one of this inbox's, with the contact known there by this source id. */
export async function isConversationOfSource(db: Queryable, conversationId: string, inboxId: string, sourceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM conversations c JOIN contact_inboxes ci ON ci.contact_id = c.contact_id AND ci.inbox_id = c.inbox_id
     WHERE c.id = $1 AND c.inbox_id = $2 AND ci.source_id = $3`,
    [conversationId, inboxId, sourceId],
  );
  return (rowCount ?? 0) > 0;
}

/** A contact's name and e-mail by the bank's own customer id. */
export async function findContactByExternalId(db: Queryable, externalId: string): Promise<Pick<ContactRow, "name" | "email"> | undefined> {
  const { rows } = await db.query<Pick<ContactRow, "name" | "email">>("SELECT name, email FROM contacts WHERE external_id = $1", [
    externalId,
  ]);
  return rows[0];
}

/** Messages after a sequence number, in order; private notes only when asked for. */
export async function listMessages(
  db: Queryable,
  conversationId: string,
  opts: { afterSeq?: number; includePrivate: boolean; limit?: number },
): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ${opts.includePrivate ? "" : "AND private = false"}
     ORDER BY seq LIMIT $3`,
    [conversationId, opts.afterSeq ?? 0, opts.limit ?? 500],
  );
  return rows;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(v: unknown): v is string {
  return typeof v === "string" && UUID.test(v);
}
