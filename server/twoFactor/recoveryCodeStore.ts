import type { Queryable } from "../db/Database.ts";
import { hashRecoveryCode, newRecoveryCodes } from "./recoveryCodes.ts";

/** Replaces an agent's recovery codes with new ones; returns them to be shown once (only hashes are kept). */
export async function replaceRecoveryCodes(tx: Queryable, agentId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.query("DELETE FROM agent_recovery_codes WHERE agent_id = $1", [agentId]);
  await tx.query("INSERT INTO agent_recovery_codes (agent_id, code_hash) SELECT $1, unnest($2::text[])", [
    agentId,
    codes.map(hashRecoveryCode),
  ]);
  return codes;
}

export async function countUnusedRecoveryCodes(db: Queryable, agentId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM agent_recovery_codes WHERE agent_id = $1 AND used_at IS NULL",
    [agentId],
  );
  return rows[0]?.n ?? 0;
}
