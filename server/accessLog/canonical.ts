import crypto from "node:crypto";

/** The genesis link: the prev_hash of the first row. */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  id: string | number | bigint;
  agentId: string;
  subjectType: string;
  subjectId: string;
  contactId: string | null;
  conversationId: string | null;
  ip: string | null;
  requestId: string | null;
  createdAt: Date;
  /** Microseconds within the second, which a JS Date cannot hold (PostgreSQL keeps them). */
  micros: number;
}

/**
 * The text a row's hash covers, exactly as the SQL function access_log_canonical
 * (migration 032) builds it: fields joined by '|' (none may contain one: the table's
 * checks), absent ones empty, the time in UTC to the microsecond. Verification
 * recomputes it here, independently of the database's own function.
 */
export function canonicalRow(f: ChainedFields): string {
  const iso = f.createdAt.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS, UTC
  return [
    String(f.id),
    f.agentId,
    f.subjectType,
    f.subjectId,
    f.contactId ?? "",
    f.conversationId ?? "",
    f.ip ?? "",
    f.requestId ?? "",
    `${iso}.${String(f.micros).padStart(6, "0")}Z`,
  ].join("|");
}

/** hash = sha256(prev_hash || '|' || canonical row), hex. */
export function chainHash(prevHash: string, canonical: string): string {
  return crypto.createHash("sha256").update(`${prevHash}|${canonical}`, "utf8").digest("hex");
}
