/**
 * One row of the access log (who read what) as admins search it in the console;
 * server/accessLog/searchAccessLog.ts is checked against it.
 */
export interface AccessLogEntry {
  id: string;
  agent: { id: string; name: string | null; email: string | null };
  subjectType: string;
  subjectId: string;
  contactId: string | null;
  conversationId: string | null;
  ip: string | null;
  requestId: string | null;
  createdAt: string;
  hash: string;
}

/** The result of checking the access log's hash chain. */
export interface AccessLogVerification {
  ok: boolean;
  rows: number;
  lastId: string | null;
  firstBroken: { id: string; reason: "hash_mismatch" | "prev_hash_mismatch" | "missing_row" | "truncated" } | null;
}

/** GET /admin/access-log: a page, newest first; `nextCursor` asks for the next (older) one. */
export interface AccessLogPage {
  items: AccessLogEntry[];
  nextCursor: string | null;
}
