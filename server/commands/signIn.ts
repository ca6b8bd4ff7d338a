import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
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
 * Signs an agent in with e-mail and password. After five failures in a row the
 * account is locked for 15 minutes; every attempt is audited. The error never says
 * whether the e-mail exists.
 */
export async function signIn(ctx: AppContext, props: { email: string; password: string; ip?: string }): Promise<SignInResult> {
  const { rows } = await ctx.db.query<AgentRow>("SELECT * FROM agents WHERE lower(email) = lower($1)", [props.email.trim()]);
  const agent = rows[0];
  const invalid = new AppError("unauthenticated", "Wrong e-mail or password");
  if (!agent) {
    await verifyPassword(props.password, await (dummyHash ??= hashPassword("not-a-real-password")));
    await writeAudit(ctx.db, {
      actor: { type: "system" },
      action: "auth.login_failed",
      data: { email: props.email.slice(0, 200) },
      ip: props.ip,
    });
    throw invalid;
  }
  const actor = { type: "agent" as const, id: agent.id, role: agent.role, teamIds: [] };
  if (agent.disabled_at) throw invalid;
  if (agent.locked_until && agent.locked_until.getTime() > Date.now()) {
    await writeAudit(ctx.db, { actor, action: "auth.login_locked", ip: props.ip });
    throw new AppError("forbidden", `Too many failed attempts: try again after ${agent.locked_until.toISOString()}`, {
      lockedUntil: agent.locked_until.toISOString(),
    });
  }
  if (!(await verifyPassword(props.password, agent.password_hash))) {
    const failed = agent.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await ctx.db.query(
      `UPDATE agents SET failed_logins = $2, locked_until = CASE WHEN $3::boolean THEN now() + make_interval(mins => $4) ELSE locked_until END WHERE id = $1`,
      [agent.id, lock ? 0 : failed, lock, LOCKOUT_MINUTES],
    );
    await writeAudit(ctx.db, { actor, action: lock ? "auth.locked_out" : "auth.login_failed", ip: props.ip });
    throw invalid;
  }
  const { token, hash } = newToken();
  const csrfToken = crypto.randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await ctx.db.transaction(async (tx) => {
    await tx.query("UPDATE agents SET failed_logins = 0, locked_until = NULL WHERE id = $1", [agent.id]);
    await tx.query("DELETE FROM agent_sessions WHERE expires_at < now()");
    await tx.query("INSERT INTO agent_sessions (token_hash, agent_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)", [
      hash,
      agent.id,
      csrfToken,
      expiresAt,
    ]);
    await writeAudit(tx, { actor, action: "auth.login", ip: props.ip });
  });
  return { agent, token, csrfToken, expiresAt };
}
