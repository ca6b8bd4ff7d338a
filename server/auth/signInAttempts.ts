import type { Queryable } from "../db/Database.ts";
import type { AgentRow } from "../models/agents.ts";
import type { Actor } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type ReservedAttempt = AgentRow & { attempt: number; was_locked: boolean };

/**
 * Counts one sign-in attempt on an active account before anything is checked, in
 * one statement (so parallel guesses cannot slip past the count, as they did when it
 * was read and then written), and returns the account with the attempt's number; or
 * undefined for an unknown or deactivated account. The row lock (FOR UPDATE) queues
 * concurrent attempts on one account. Passwords and second-factor codes share the
 * count: five wrong in a row, of either, lock the account for 15 minutes.
 */
export async function reserveSignInAttempt(
  db: Queryable,
  who: { email: string } | { agentId: string },
): Promise<ReservedAttempt | undefined> {
  const [where, key] = "email" in who ? ["lower(email) = lower($1)", who.email.trim()] : ["id = $1", who.agentId];
  const { rows } = await db.query<ReservedAttempt>(
    `WITH old AS (
       SELECT id, failed_logins, locked_until > now() AS locked FROM agents
       WHERE ${where} AND disabled_at IS NULL FOR UPDATE)
     UPDATE agents a SET
       failed_logins = CASE WHEN old.locked THEN a.failed_logins WHEN a.failed_logins + 1 > $2 THEN 0 ELSE a.failed_logins + 1 END,
       locked_until = CASE WHEN old.locked THEN a.locked_until WHEN a.failed_logins + 1 > $2 THEN now() + make_interval(mins => $3) END
     FROM old WHERE a.id = old.id
     RETURNING a.*, old.failed_logins + 1 AS attempt, coalesce(old.locked, false) AS was_locked`,
    [key, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
  );
  return rows[0];
}

/** Locked, or locked by this very attempt (one more than allowed): nothing is to be checked. */
export function isLockedOut(reserved: ReservedAttempt): boolean {
  return reserved.was_locked || reserved.attempt > MAX_FAILED_LOGINS;
}

/**
 * A reserved attempt failed: audited as `action`, or, when it was the last one
 * allowed, the account is locked now rather than on the next attempt.
 */
export async function recordFailedAttempt(
  db: Queryable,
  reserved: ReservedAttempt,
  audit: { actor: Actor; action: string; ip?: string; data?: Record<string, unknown> },
): Promise<void> {
  if (reserved.attempt >= MAX_FAILED_LOGINS) {
    await db.query(
      "UPDATE agents SET failed_logins = 0, locked_until = now() + make_interval(mins => $2) WHERE id = $1 AND locked_until IS NULL",
      [reserved.id, LOCKOUT_MINUTES],
    );
    await writeAudit(db, { actor: audit.actor, action: "auth.locked_out", ip: audit.ip });
  } else {
    await writeAudit(db, audit);
  }
}

/**
 * The password of an agent with two-factor sign-in was right: this attempt was no
 * failure, so it is taken off the count again, but the count is not cleared (only a
 * right second factor does that). Otherwise a few correct passwords with a slow second
 * step would lock the account, and someone who has the password could reset the count
 * between guesses of the code. Skipped when the account got locked meanwhile.
 */
export async function releaseSignInAttempt(db: Queryable, agentId: string): Promise<void> {
  await db.query(
    "UPDATE agents SET failed_logins = failed_logins - 1 WHERE id = $1 AND failed_logins > 0 AND (locked_until IS NULL OR locked_until <= now())",
    [agentId],
  );
}

/** The sign-in succeeded: the count starts again. */
export async function clearFailedAttempts(db: Queryable, agentId: string): Promise<void> {
  await db.query("UPDATE agents SET failed_logins = 0, locked_until = NULL WHERE id = $1", [agentId]);
}
