import type { Queryable } from "../db/Database.ts";
import { canonicalRow, chainHash, GENESIS_HASH } from "./canonical.ts";

export type BrokenLink =
  /** A row's stored hash is not the hash of its content and its predecessor's hash: the row was edited. */
  | { id: string; reason: "hash_mismatch" }
  /** A row's prev_hash is not the previous row's hash: a row before it was edited, removed or inserted. */
  | { id: string; reason: "prev_hash_mismatch" }
  /** Ids are gapless by construction: a missing id is a removed row. */
  | { id: string; reason: "missing_row" }
  /** The chain head records more rows (or another last hash) than the table holds: the end was cut off. */
  | { id: string; reason: "truncated" };

export interface VerifyReport {
  ok: boolean;
  rows: number;
  lastId: string | null;
  firstBroken: BrokenLink | null;
}

const PAGE = 5_000;

/**
 * Walks the access log in id order and recomputes every link in TypeScript (not
 * with the database's own function, so a replaced function cannot hide an edit).
 * Stops at the first broken link: everything after it is unproven.
 */
export async function verifyAccessLog(db: Queryable): Promise<VerifyReport> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1n;
  let rows = 0;
  for (;;) {
    const { rows: page } = await db.query<{
      id: string;
      agent_id: string;
      subject_type: string;
      subject_id: string;
      contact_id: string | null;
      conversation_id: string | null;
      ip: string | null;
      request_id: string | null;
      created_at: Date;
      micros: number;
      prev_hash: string;
      hash: string;
    }>(
      `SELECT id::text, agent_id, subject_type, subject_id, contact_id, conversation_id, ip, request_id, created_at,
              mod(extract(microseconds FROM created_at)::bigint, 1000000)::int AS micros, prev_hash, hash
         FROM access_log l WHERE l.id >= $1 ORDER BY l.id LIMIT ${PAGE}`,
      [expectedId.toString()],
    );
    for (const r of page) {
      const broken = (reason: BrokenLink["reason"]): VerifyReport => ({
        ok: false,
        rows,
        lastId: r.id,
        firstBroken: { id: reason === "missing_row" ? expectedId.toString() : r.id, reason },
      });
      if (BigInt(r.id) !== expectedId) return broken("missing_row");
      if (r.prev_hash !== prevHash) return broken("prev_hash_mismatch");
      const expected = chainHash(
        prevHash,
        canonicalRow({
          id: r.id,
          agentId: r.agent_id,
          subjectType: r.subject_type,
          subjectId: r.subject_id,
          contactId: r.contact_id,
          conversationId: r.conversation_id,
          ip: r.ip,
          requestId: r.request_id,
          createdAt: new Date(r.created_at),
          micros: Number(r.micros),
        }),
      );
      if (expected !== r.hash) return broken("hash_mismatch");
      prevHash = r.hash;
      expectedId++;
      rows++;
    }
    if (page.length < PAGE) break;
  }
  const head = (await db.query<{ last_id: string; last_hash: string }>("SELECT last_id::text, last_hash FROM access_log_head")).rows[0];
  const lastId = rows > 0 ? (expectedId - 1n).toString() : null;
  if (head && (head.last_id !== (expectedId - 1n).toString() || head.last_hash !== prevHash)) {
    return { ok: false, rows, lastId, firstBroken: { id: expectedId.toString(), reason: "truncated" } };
  }
  return { ok: true, rows, lastId, firstBroken: null };
}
