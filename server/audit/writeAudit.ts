import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";

export interface AuditEntry {
  actor: Actor;
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
  ip?: string;
}

/**
 * Appends to the audit log, inside the caller's transaction when given one, so an
 * action and its record commit together.
 */
export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  const actorId = entry.actor.type === "agent" || entry.actor.type === "contact" ? entry.actor.id : null;
  await db.query(
    `INSERT INTO audit_log (actor_type, actor_id, action, target_type, target_id, data, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.actor.type,
      actorId,
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      JSON.stringify(entry.data ?? {}),
      entry.ip ?? null,
    ],
  );
}
