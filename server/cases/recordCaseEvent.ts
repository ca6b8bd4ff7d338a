import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { CaseRow } from "./types.ts";

/**
 * One step of a case: on its timeline (who, when, what) and in the audit log, in the
 * caller's transaction so the change, its timeline entry and its audit record commit
 * together or not at all.
 */
export async function recordCaseEvent(
  tx: Queryable,
  e: { actor: Actor; caseRow: Pick<CaseRow, "id" | "reference">; kind: string; data?: Record<string, unknown>; ip?: string },
): Promise<void> {
  const actorId = e.actor.type === "agent" || e.actor.type === "contact" ? e.actor.id : null;
  const data = e.data ?? {};
  await tx.query("INSERT INTO case_events (case_id, actor_type, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5)", [
    e.caseRow.id,
    e.actor.type,
    actorId,
    e.kind,
    JSON.stringify(data),
  ]);
  await writeAudit(tx, {
    actor: e.actor,
    action: `case.${e.kind}`,
    targetType: "case",
    targetId: e.caseRow.id,
    data: { reference: e.caseRow.reference, ...data },
    ip: e.ip,
  });
}
