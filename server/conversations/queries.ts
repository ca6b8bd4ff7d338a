import { statement, type Queryable } from "../db/Database.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";

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
