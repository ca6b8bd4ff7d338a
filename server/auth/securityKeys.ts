import crypto from "node:crypto";
import type { Queryable } from "../db/Database.ts";

/** How long a WebAuthn ceremony (the browser's prompt, touching the key) may take. */
export const WEBAUTHN_CHALLENGE_MINUTES = 5;

export interface SecurityKeyRow {
  id: string;
  agent_id: string;
  /** base64url, as the browser reports it. */
  credential_id: string;
  public_key: Buffer | Uint8Array;
  counter: number | string;
  transports: string[];
  name: string;
  aaguid: string | null;
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

export async function listSecurityKeys(db: Queryable, agentId: string): Promise<SecurityKeyRow[]> {
  const { rows } = await db.query<SecurityKeyRow>("SELECT * FROM agent_security_keys WHERE agent_id = $1 ORDER BY created_at, id", [
    agentId,
  ]);
  return rows;
}

export async function hasSecurityKey(db: Queryable, agentId: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM agent_security_keys WHERE agent_id = $1 LIMIT 1", [agentId]);
  return rows.length > 0;
}

/** SQL for "this agent (alias a) has a security key", for queries that decide about two-factor sign-in. */
export const HAS_SECURITY_KEY_SQL = "EXISTS (SELECT 1 FROM agent_security_keys k WHERE k.agent_id = a.id)";

export async function findSecurityKey(db: Queryable, agentId: string, credentialId: string): Promise<SecurityKeyRow | undefined> {
  const { rows } = await db.query<SecurityKeyRow>("SELECT * FROM agent_security_keys WHERE agent_id = $1 AND credential_id = $2", [
    agentId,
    credentialId,
  ]);
  return rows[0];
}

/**
 * What a challenge was issued for: registering a key (the session's agent), the
 * security-key step of a password sign-in (that attempt's agent), or a passwordless
 * passkey sign-in, where nobody is known until the key answers (agentId null).
 */
export type WebauthnChallengeBinding =
  | { challenge: string; purpose: "registration" | "sign_in"; agentId: string; boundTo: string }
  | { challenge: string; purpose: "passkey"; agentId: null; boundTo: string };

/** The key with this credential id, whoever's it is (a passkey names only itself). */
export async function findSecurityKeyByCredential(db: Queryable, credentialId: string): Promise<SecurityKeyRow | undefined> {
  const { rows } = await db.query<SecurityKeyRow>("SELECT * FROM agent_security_keys WHERE credential_id = $1", [credentialId]);
  return rows[0];
}

/**
 * A new random challenge for one ceremony, bound to what asked for it (the session's or
 * the sign-in attempt's token hash), replacing the earlier one of the same session or
 * attempt, so each has at most one outstanding. Expired ones are swept as well.
 */
export async function storeWebauthnChallenge(db: Queryable, props: WebauthnChallengeBinding): Promise<void> {
  // Expired ones, and this session's or attempt's earlier one: only the newest is outstanding.
  await db.query("DELETE FROM agent_webauthn_challenges WHERE expires_at < now() OR (purpose = $1 AND bound_to = $2)", [
    props.purpose,
    props.boundTo,
  ]);
  await db.query(
    `INSERT INTO agent_webauthn_challenges (challenge, purpose, agent_id, bound_to, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
    [props.challenge, props.purpose, props.agentId, props.boundTo, WEBAUTHN_CHALLENGE_MINUTES],
  );
}

/**
 * Uses up a challenge the browser signed, if it is one we issued for this purpose, agent
 * and session or attempt, and has not expired: the statement that accepts it deletes it,
 * so a replayed response (or two racing ones) gets at most one yes.
 */
export async function consumeWebauthnChallenge(db: Queryable, props: WebauthnChallengeBinding): Promise<boolean> {
  const r = await db.query(
    `DELETE FROM agent_webauthn_challenges
     WHERE challenge = $1 AND purpose = $2 AND agent_id IS NOT DISTINCT FROM $3 AND bound_to = $4 AND expires_at > now()`,
    [props.challenge, props.purpose, props.agentId, props.boundTo],
  );
  return r.rowCount === 1;
}

/** What a challenge is bound to: the SHA-256 of a token the client holds (a session cookie, a sign-in challenge). */
export const bindingOf = (token: string) => crypto.createHash("sha256").update(`webauthn:${token}`).digest("hex");
