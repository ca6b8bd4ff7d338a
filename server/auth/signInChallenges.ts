import type { Queryable } from "../db/Database.ts";
import { hashToken, newToken } from "./identity.ts";
import type { SsoSessionIdentity } from "./openAgentSession.ts";

/** How long the second step of a sign-in may take after the password. */
export const CHALLENGE_MINUTES = 5;

/**
 * The state between a correct password and the second factor: an opaque token
 * (the database keeps its hash) that names the agent for 5 minutes and grants
 * nothing else. Expired ones are swept whenever a new one is made.
 */
export async function createSignInChallenge(
  db: Queryable,
  props: { agentId: string; ip?: string; userAgent?: string; sso?: SsoSessionIdentity },
): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + CHALLENGE_MINUTES * 60_000);
  await db.query("DELETE FROM agent_sign_in_challenges WHERE expires_at < now()");
  await db.query(
    `INSERT INTO agent_sign_in_challenges (token_hash, agent_id, expires_at, ip, user_agent, sso_issuer, sso_subject, sso_sid, sso_id_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      hash,
      props.agentId,
      expiresAt,
      props.ip ?? null,
      props.userAgent?.slice(0, 300) ?? null,
      props.sso?.issuer ?? null,
      props.sso?.subject ?? null,
      props.sso?.sid ?? null,
      props.sso?.sealedIdToken ?? null,
    ],
  );
  return { token, expiresAt };
}

/**
 * The agent a live challenge names, and the provider's identity when it came from single
 * sign-on; undefined when unknown, expired, or the agent deactivated.
 */
export async function findSignInChallenge(
  db: Queryable,
  token: string,
): Promise<{ agentId: string; sso?: SsoSessionIdentity } | undefined> {
  const { rows } = await db.query<{
    agent_id: string;
    sso_issuer: string | null;
    sso_subject: string | null;
    sso_sid: string | null;
    sso_id_token: string | null;
  }>(
    `SELECT c.agent_id, c.sso_issuer, c.sso_subject, c.sso_sid, c.sso_id_token FROM agent_sign_in_challenges c JOIN agents a ON a.id = c.agent_id
     WHERE c.token_hash = $1 AND c.expires_at > now() AND a.disabled_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const sso =
    row.sso_issuer !== null && row.sso_subject !== null
      ? {
          issuer: row.sso_issuer,
          subject: row.sso_subject,
          ...(row.sso_sid !== null && { sid: row.sso_sid }),
          ...(row.sso_id_token !== null && { sealedIdToken: row.sso_id_token }),
        }
      : undefined;
  return { agentId: row.agent_id, sso };
}

/** Uses a challenge up; false when another request already did (or it expired meanwhile). */
export async function consumeSignInChallenge(db: Queryable, token: string): Promise<boolean> {
  const r = await db.query("DELETE FROM agent_sign_in_challenges WHERE token_hash = $1 AND expires_at > now()", [hashToken(token)]);
  return r.rowCount === 1;
}
