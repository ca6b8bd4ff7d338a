import type { Queryable } from "../db/Database.ts";
import type { CaseRow } from "./types.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A case by id or by its reference (CR-2026-000123), optionally locked for an update. */
export async function findCase(db: Queryable, idOrReference: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  const byId = UUID.test(idOrReference);
  const { rows } = await db.query<CaseRow>(
    `SELECT * FROM cases WHERE ${byId ? "id = $1" : "reference = upper($1)"}${opts.forUpdate ? " FOR UPDATE" : ""}`,
    [idOrReference],
  );
  return rows[0];
}

/**
 * Agents who handled a conversation: its assignee and every agent who wrote in it.
 * They may not own a complaint about it (casePolicy.checkOwner).
 */
export async function conversationHandlers(db: Queryable, conversationId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT assignee_id AS id FROM conversations WHERE id = $1 AND assignee_id IS NOT NULL
     UNION SELECT DISTINCT sender_id FROM messages WHERE conversation_id = $1 AND sender_type = 'agent' AND sender_id IS NOT NULL`,
    [conversationId],
  );
  return rows.map((r) => r.id);
}
