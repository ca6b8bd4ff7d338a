import type { Queryable } from "../db/Database.ts";
import type { AccessLogEntry } from "../../shared/wire/accessLog.ts";

export interface AccessLogFilter {
  agentId?: string;
  contactId?: string;
  conversationId?: string;
  subjectType?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (the previous page's `nextCursor`). */
  before?: string;
  limit: number;
}

/** Newest first, keyset-paginated on the id; with the reading agent's name. */
export async function searchAccessLog(db: Queryable, f: AccessLogFilter): Promise<{ items: AccessLogEntry[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (f.agentId) add("l.agent_id = ?", f.agentId);
  if (f.contactId) add("l.contact_id = ?", f.contactId);
  if (f.conversationId) add("l.conversation_id = ?", f.conversationId);
  if (f.subjectType) add("l.subject_type = ?", f.subjectType);
  if (f.from) add("l.created_at >= ?", f.from);
  if (f.to) add("l.created_at < ?", f.to);
  if (f.before) add("l.id < ?", f.before);
  params.push(f.limit + 1);
  const { rows } = await db.query<{
    id: string;
    agent_id: string;
    agent_name: string | null;
    agent_email: string | null;
    subject_type: string;
    subject_id: string;
    contact_id: string | null;
    conversation_id: string | null;
    ip: string | null;
    request_id: string | null;
    created_at: Date;
    hash: string;
  }>(
    `SELECT l.id::text, l.agent_id, a.name AS agent_name, a.email AS agent_email, l.subject_type, l.subject_id,
            l.contact_id, l.conversation_id, l.ip, l.request_id, l.created_at, l.hash
       FROM access_log l LEFT JOIN agents a ON a.id = l.agent_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY l.id DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return {
    items: page.map((r): AccessLogEntry => ({
      id: r.id,
      agent: { id: r.agent_id, name: r.agent_name, email: r.agent_email },
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      contactId: r.contact_id,
      conversationId: r.conversation_id,
      ip: r.ip,
      requestId: r.request_id,
      createdAt: new Date(r.created_at).toISOString(),
      hash: r.hash,
    })),
    nextCursor: more ? page[page.length - 1]!.id : null,
  };
}
