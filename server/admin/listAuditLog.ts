import type { Queryable } from "../db/Database.ts";
import type { AuditRow } from "../models/audit.ts";

export interface AuditLogFilter {
  actorId?: string;
  /** An exact action ("agent.update") or a prefix ending in "." ("agent."). */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Entries older than this id (the previous page's `nextCursor`). */
  before?: string;
  limit: number;
}

/** Newest first, keyset-paginated on the id; with the acting console user's name. */
export async function listAuditLog(db: Queryable, f: AuditLogFilter): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (f.actorId) add("l.actor_id = ?", f.actorId);
  if (f.action) {
    if (f.action.endsWith(".")) add("l.action LIKE ?", `${f.action.replace(/[\\%_]/g, "\\$&")}%`);
    else add("l.action = ?", f.action);
  }
  if (f.targetType) add("l.target_type = ?", f.targetType);
  if (f.targetId) add("l.target_id = ?", f.targetId);
  if (f.before) add("l.id < ?", f.before);
  params.push(f.limit + 1);
  const { rows } = await db.query<AuditRow>(
    `SELECT l.*, a.name AS actor_name, a.email AS actor_email
     FROM audit_log l LEFT JOIN agents a ON l.actor_type = 'agent' AND a.id = l.actor_id
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY l.id DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
}
