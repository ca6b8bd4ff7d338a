import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
import type { Queryable } from "../db/Database.ts";
import type { AgentRow } from "../models/agents.ts";
import { newToken } from "./identity.ts";
import { clearFailedAttempts } from "./signInAttempts.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export const SESSION_HOURS = 12;

/** Who the identity provider said signed in: its issuer, their subject, its session id (sid) when it gave one. */
export interface SsoSessionIdentity {
  issuer: string;
  subject: string;
  sid?: string;
  /** The provider's ID token, sealed (server/sso/ssoIdToken.ts): RP-initiated logout's id_token_hint. */
  sealedIdToken?: string;
}

export interface OpenedSession {
  agent: AgentRow;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The last step of every sign-in: the failure count starts again, stale sessions
 * are swept, and a new session is stored (its token only as a hash) and audited,
 * inside the caller's transaction.
 */
export async function openAgentSession(
  ctx: AppContext,
  tx: Queryable,
  agent: AgentRow,
  props: {
    ip?: string;
    userAgent?: string;
    secondFactor?: "totp" | "recovery_code" | "security_key" | "idp_mfa" | "passkey";
    /**
     * Signed in through single sign-on (server/sso): the audit record says with which
     * provider; the session keeps the user's subject and the provider's session id
     * there, which a back-channel logout names.
     */
    sso?: SsoSessionIdentity;
  },
): Promise<OpenedSession> {
  const { token, hash } = newToken();
  const csrfToken = crypto.randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await clearFailedAttempts(tx, agent.id);
  await tx.query("DELETE FROM agent_sessions WHERE expires_at < now() OR last_active_at < now() - make_interval(mins => $1)", [
    ctx.config.SESSION_IDLE_MINUTES,
  ]);
  await tx.query(
    `INSERT INTO agent_sessions (token_hash, agent_id, csrf_token, expires_at, ip, user_agent, idp_mfa, sso_issuer, sso_subject, sso_sid, sso_id_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      hash,
      agent.id,
      csrfToken,
      expiresAt,
      props.ip ?? null,
      props.userAgent?.slice(0, 300) ?? null,
      props.secondFactor === "idp_mfa",
      props.sso?.issuer ?? null,
      props.sso?.subject ?? null,
      props.sso?.sid ?? null,
      props.sso?.sealedIdToken ?? null,
    ],
  );
  await writeAudit(tx, {
    actor: { type: "agent", id: agent.id, role: agent.role, teamIds: [] },
    action: "auth.login",
    data:
      props.secondFactor || props.sso
        ? { ...(props.secondFactor && { secondFactor: props.secondFactor }), ...(props.sso && { method: "sso", issuer: props.sso.issuer }) }
        : undefined,
    ip: props.ip,
  });
  return { agent, token, csrfToken, expiresAt };
}
