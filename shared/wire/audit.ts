/** One audit-log entry as admins search it (GET /admin/audit-log). Presenter: server/presenters/presentAuditEntry.ts. */
export interface AuditEntry {
  id: string;
  /** The actor's name and e-mail when the actor is a console user. */
  actor: { type: "agent" | "contact" | "bot" | "system"; id: string | null; name: string | null; email: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  data: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

/** GET /admin/audit-log: a page, newest first; `nextCursor` asks for the next (older) one. */
export interface AuditLogPage {
  items: AuditEntry[];
  nextCursor: string | null;
}
