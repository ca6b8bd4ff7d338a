/** Audit-log entries, as the database returns them; the actor's name and e-mail when the read joins them. */
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
