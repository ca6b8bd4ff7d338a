import type { Queryable } from "../db/Database.ts";

/**
 * Forgets an agent's authenticator app: secret, pending set-up, recovery codes and open
 * sign-in challenges; with `securityKeys` (an admin's reset) their security keys too.
 */
export async function clearTwoFactor(tx: Queryable, agentId: string, opts: { securityKeys?: boolean } = {}): Promise<void> {
  await tx.query(
    `UPDATE agents SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = now()
     WHERE id = $1`,
    [agentId],
  );
  await tx.query("DELETE FROM agent_recovery_codes WHERE agent_id = $1", [agentId]);
  await tx.query("DELETE FROM agent_sign_in_challenges WHERE agent_id = $1", [agentId]);
  await tx.query("DELETE FROM agent_webauthn_challenges WHERE agent_id = $1", [agentId]);
  if (opts.securityKeys) await tx.query("DELETE FROM agent_security_keys WHERE agent_id = $1", [agentId]);
}
