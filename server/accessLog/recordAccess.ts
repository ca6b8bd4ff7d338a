import crypto from "node:crypto";
import type { Request } from "express";
import type { Logger } from "pino";
import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import { AppError } from "../errors.ts";

export const ACCESS_SUBJECTS = ["conversation", "contact", "account_data", "case", "export", "privacy_export", "attachment"] as const;
export type AccessSubject = (typeof ACCESS_SUBJECTS)[number];

export interface AccessEntry {
  actor: Actor;
  subjectType: AccessSubject;
  subjectId: string;
  /** The customer whose data was read, when there is one. */
  contactId?: string | null;
  conversationId?: string | null;
  ip?: string | null;
  requestId?: string | null;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const SAFE_IP = /^[0-9A-Fa-f.:]{1,64}$/;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Appends one row to the hash-chained access log in a single statement: the UPDATE
 * of the one-row chain head takes its row lock (so appends from every process and
 * connection are serialised, and PostgreSQL re-reads the head after waiting), computes
 * the new hash from the previous one, and the same statement inserts the row. No
 * separate lock, read or transaction: one round trip.
 */
export async function appendAccess(db: Queryable, entry: AccessEntry): Promise<{ id: string; hash: string }> {
  if (entry.actor.type !== "agent") throw new Error("the access log records staff reads only");
  if (!SAFE_ID.test(entry.subjectId)) throw new Error("invalid access-log subject id");
  const ip = entry.ip && SAFE_IP.test(entry.ip) ? entry.ip : null;
  const requestId = entry.requestId && SAFE_REQUEST_ID.test(entry.requestId) ? entry.requestId : null;
  const { rows } = await db.query<{ id: string; hash: string }>(
    `WITH fields AS (SELECT clock_timestamp() AS at),
     head AS (
       UPDATE access_log_head h
          SET last_id = h.last_id + 1,
              prev_hash = h.last_hash,
              last_hash = encode(sha256(convert_to(h.last_hash || '|' ||
                access_log_canonical(h.last_id + 1, $1::uuid, $2, $3, $4::uuid, $5::uuid, $6, $7, f.at), 'UTF8')), 'hex')
         FROM fields f
        WHERE h.only_row
       RETURNING h.last_id, h.prev_hash, h.last_hash, f.at)
     INSERT INTO access_log (id, agent_id, subject_type, subject_id, contact_id, conversation_id, ip, request_id, created_at, prev_hash, hash)
     SELECT last_id, $1::uuid, $2, $3, $4::uuid, $5::uuid, $6, $7, at, prev_hash, last_hash FROM head
     RETURNING id::text, hash`,
    [entry.actor.id, entry.subjectType, entry.subjectId, entry.contactId ?? null, entry.conversationId ?? null, ip, requestId],
  );
  return rows[0]!;
}

/**
 * A read shown on screen (a conversation, a profile, a case): log and continue. If
 * the log cannot be written the agent still gets what they are entitled to (a bank's
 * service desk must not stop because an audit table is unavailable), and the failure
 * goes to the error log for monitoring to raise. See README "Who read what".
 */
export async function recordView(db: Queryable, logger: Logger, entry: AccessEntry): Promise<void> {
  if (entry.actor.type !== "agent") return; // staff reads only; the CLI's are in the audit log
  try {
    await appendAccess(db, entry);
  } catch (err) {
    logger.error({ err, subjectType: entry.subjectType }, "could not write the access log; the read went ahead");
  }
}

/**
 * Data leaving the console in bulk (an export, account data, a privacy export):
 * fail closed. Nothing is handed out unless its access-log row is written first.
 */
export async function recordDisclosure(db: Queryable, logger: Logger, entry: AccessEntry): Promise<void> {
  if (entry.actor.type !== "agent") return; // staff reads only; the CLI's are in the audit log
  try {
    await appendAccess(db, entry);
  } catch (err) {
    logger.error({ err, subjectType: entry.subjectType }, "could not write the access log; the data was withheld");
    throw new AppError("unavailable", "The access log cannot be written just now, so this data is withheld; try again shortly");
  }
}

const requestIds = new WeakMap<Request, string>();

/**
 * This request's id: the caller's X-Request-Id when it is a plain token (a proxy's
 * id ties our row to its logs), otherwise a new UUID; echoed in the response header.
 */
export function requestIdOf(req: Request): string {
  let id = requestIds.get(req);
  if (!id) {
    const given = req.get("x-request-id");
    id = given && SAFE_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    requestIds.set(req, id);
    if (!req.res?.headersSent) req.res?.setHeader("X-Request-Id", id);
  }
  return id;
}

/** Who, from where and under which request, for a read made through the REST API. */
export function accessFrom(actor: Actor, req: Request): Pick<AccessEntry, "actor" | "ip" | "requestId"> {
  return { actor, ip: req.ip ?? null, requestId: requestIdOf(req) };
}
