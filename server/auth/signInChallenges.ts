import type { Queryable } from "../db/Database.ts";
import { hashToken, newToken } from "./identity.ts";

/** How long the second step of a sign-in may take after the password. */
export const CHALLENGE_MINUTES = 5;

/**
 * The state between a correct password and the second factor: an opaque token
 * (the database keeps its hash) that names the agent for 5 minutes and grants
 * nothing else. Expired ones are swept whenever a new one is made.
 */
export async function createSignInChallenge(
  db: Queryable,
  props: { agentId: string; ip?: string; userAgent?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + CHALLENGE_MINUTES * 60_000);
  await db.query("DELETE FROM agent_sign_in_challenges WHERE expires_at < now()");
  await db.query("INSERT INTO agent_sign_in_challenges (token_hash, agent_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)", [
    hash,
    props.agentId,
    expiresAt,
    props.ip ?? null,
    props.userAgent?.slice(0, 300) ?? null,
  ]);
  return { token, expiresAt };
}

/** The agent a live challenge names, or undefined (unknown, expired, or the agent deactivated). */
export async function findSignInChallenge(db: Queryable, token: string): Promise<string | undefined> {
  const { rows } = await db.query<{ agent_id: string }>(
    `SELECT c.agent_id FROM agent_sign_in_challenges c JOIN agents a ON a.id = c.agent_id
     WHERE c.token_hash = $1 AND c.expires_at > now() AND a.disabled_at IS NULL`,
    [hashToken(token)],
  );
  return rows[0]?.agent_id;
}

/** Uses a challenge up; false when another request already did (or it expired meanwhile). */
export async function consumeSignInChallenge(db: Queryable, token: string): Promise<boolean> {
  const r = await db.query("DELETE FROM agent_sign_in_challenges WHERE token_hash = $1 AND expires_at > now()", [hashToken(token)]);
  return r.rowCount === 1;
}
