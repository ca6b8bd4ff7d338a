export interface AuditRow {
  id: string | number;
  actor_type: "agent" | "contact" | "bot" | "system";
  actor_id: string | null;
  actor_name?: string | null;
  actor_email?: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  created_at: Date;
}

/** One audit-log entry; the actor's name when the actor is a console user. */
export function presentAuditEntry(r: AuditRow) {
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
