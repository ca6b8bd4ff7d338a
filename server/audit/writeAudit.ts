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

const COLUMNS = "actor_type, actor_id, action, target_type, target_id, data, ip";

function values(entry: AuditEntry): unknown[] {
  const actorId = entry.actor.type === "agent" || entry.actor.type === "contact" ? entry.actor.id : null;
  return [
    entry.actor.type,
    actorId,
    entry.action,
    entry.targetType ?? null,
    entry.targetId ?? null,
    JSON.stringify(entry.data ?? {}),
    entry.ip ?? null,
  ];
}

/**
 * Appends to the audit log, inside the caller's transaction when given one, so an
 * action and its record commit together.
 */
export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(`INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, values(entry));
}

/**
 * The audit record of an action done by a single statement, as one more of its
 * CTEs: `INSERT ... SELECT ... FROM <source>`, so it is written only when the CTE
 * named `source` returned a row, and commits with it in the same round trip. For an
 * action whose lock must not be held across round trips (commands/handOff.ts). Its
 * parameters are numbered from `firstParam`; append `params` to the statement's.
 */
export function auditFrom(source: string, entry: AuditEntry, firstParam: number): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${firstParam + i}`;
  return {
    sql: `INSERT INTO audit_log (${COLUMNS})
      SELECT ${p(0)}::text, ${p(1)}::uuid, ${p(2)}::text, ${p(3)}::text, ${p(4)}::text, ${p(5)}::jsonb, ${p(6)}::text FROM ${source} LIMIT 1`,
    params: values(entry),
  };
}
