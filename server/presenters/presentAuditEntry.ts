import type { AuditRow } from "../models/audit.ts";
import type { AuditEntry } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

/** One audit-log entry; the actor's name when the actor is a console user. */
export function presentAuditEntry(r: AuditRow): Presented<AuditEntry> {
  return {
    id: String(r.id),
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name ?? null, email: r.actor_email ?? null },
    action: r.action,
    target: r.target_type ? { type: r.target_type, id: r.target_id } : null,
    data: r.data ?? {},
    ip: r.ip,
    createdAt: r.created_at,
  };
}
