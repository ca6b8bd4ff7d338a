import type { Queryable } from "../db/Database.ts";
import { hashToken, newToken } from "../auth/identity.ts";

/** How long a sign-in may stay at the identity provider. */
export const FLOW_MINUTES = 10;

export interface StoredFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Remembers a started sign-in; the browser gets the opaque id (in a cookie), the database
 * its hash. Binding the flow to the browser that started it is what stops someone from
 * getting a victim's browser to finish the attacker's sign-in (login CSRF).
 */
export async function createSsoFlow(db: Queryable, flow: StoredFlow): Promise<{ id: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + FLOW_MINUTES * 60_000);
  await db.query("DELETE FROM sso_sign_in_flows WHERE expires_at < now()");
  await db.query("INSERT INTO sso_sign_in_flows (id_hash, state, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)", [
    hash,
    flow.state,
    flow.nonce,
    flow.codeVerifier,
    expiresAt,
  ]);
  return { id: token, expiresAt };
}

/** Takes a flow out (it is good once); undefined when unknown, expired or already used. */
export async function takeSsoFlow(db: Queryable, id: string | undefined): Promise<StoredFlow | undefined> {
  if (!id || id.length > 200) return undefined;
  const { rows } = await db.query<{ state: string; nonce: string; code_verifier: string }>(
    "DELETE FROM sso_sign_in_flows WHERE id_hash = $1 AND expires_at > now() RETURNING state, nonce, code_verifier",
    [hashToken(id)],
  );
  const row = rows[0];
  return row && { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier };
}
