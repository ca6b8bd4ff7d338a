import crypto from "node:crypto";
import type { Actor, AppContext } from "../context.ts";
import type { AgentRow } from "../conversations/types.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { newToken } from "../auth/identity.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "./writeAudit.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
export const SESSION_HOURS = 12;

// Compared against when the e-mail is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;

export interface SignInResult {
  agent: AgentRow;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Signs an agent in with e-mail and password. Each attempt is counted before the
 * password is checked, in one statement (so parallel guesses cannot slip past the
 * count, as they did when it was read and then written): after five failures in a
 * row the account is locked for 15 minutes. An unknown, deactivated or locked
 * account gets the same answer, after the same work (a password hash is always
 * checked), as a wrong password. Every attempt is audited.
 */
export async function signIn(
  ctx: AppContext,
  props: { email: string; password: string; ip?: string; userAgent?: string },
): Promise<SignInResult> {
  const invalid = new AppError("unauthenticated", "Wrong e-mail or password, or the account is locked for a while after too many attempts");
  const refuse = async (audit: { actor: Actor; action: string; data?: Record<string, unknown> }) => {
    await verifyPassword(props.password, await (dummyHash ??= hashPassword("not-a-real-password")));
    await writeAudit(ctx.db, { ...audit, ip: props.ip });
    return invalid;
  };
  // An attempt reserved on an active account: counted, or refused while it is locked.
  // The row lock (FOR UPDATE) puts concurrent attempts on one account in a queue.
  const { rows } = await ctx.db.query<AgentRow & { attempt: number; was_locked: boolean }>(
    `WITH old AS (
       SELECT id, failed_logins, locked_until > now() AS locked FROM agents
       WHERE lower(email) = lower($1) AND disabled_at IS NULL FOR UPDATE)
     UPDATE agents a SET
       failed_logins = CASE WHEN old.locked THEN a.failed_logins WHEN a.failed_logins + 1 > $2 THEN 0 ELSE a.failed_logins + 1 END,
       locked_until = CASE WHEN old.locked THEN a.locked_until WHEN a.failed_logins + 1 > $2 THEN now() + make_interval(mins => $3) END
     FROM old WHERE a.id = old.id
     RETURNING a.*, old.failed_logins + 1 AS attempt, coalesce(old.locked, false) AS was_locked`,
    [props.email.trim(), MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
  );
  const agent = rows[0];
  if (!agent) throw await refuse({ actor: { type: "system" }, action: "auth.login_failed", data: { email: props.email.slice(0, 200) } });
  const actor = { type: "agent" as const, id: agent.id, role: agent.role, teamIds: [] };
  if (agent.was_locked || agent.attempt > MAX_FAILED_LOGINS) {
    // Locked, or locked by this very attempt (one more than allowed): the password is not checked.
    throw await refuse({ actor, action: agent.was_locked ? "auth.login_locked" : "auth.locked_out" });
  }
  if (!(await verifyPassword(props.password, agent.password_hash))) {
    if (agent.attempt >= MAX_FAILED_LOGINS) {
      // The last allowed attempt failed: lock now rather than on the next one.
      await ctx.db.query(
        "UPDATE agents SET failed_logins = 0, locked_until = now() + make_interval(mins => $2) WHERE id = $1 AND locked_until IS NULL",
        [agent.id, LOCKOUT_MINUTES],
      );
      await writeAudit(ctx.db, { actor, action: "auth.locked_out", ip: props.ip });
    } else {
      await writeAudit(ctx.db, { actor, action: "auth.login_failed", ip: props.ip });
    }
    throw invalid;
  }
  const { token, hash } = newToken();
  const csrfToken = crypto.randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await ctx.db.transaction(async (tx) => {
    await tx.query("UPDATE agents SET failed_logins = 0, locked_until = NULL WHERE id = $1", [agent.id]);
    await tx.query("DELETE FROM agent_sessions WHERE expires_at < now() OR last_active_at < now() - make_interval(mins => $1)", [
      ctx.config.SESSION_IDLE_MINUTES,
    ]);
    await tx.query(
      "INSERT INTO agent_sessions (token_hash, agent_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
      [hash, agent.id, csrfToken, expiresAt, props.ip ?? null, props.userAgent?.slice(0, 300) ?? null],
    );
    await writeAudit(tx, { actor, action: "auth.login", ip: props.ip });
  });
  return { agent, token, csrfToken, expiresAt };
}
