import type { Queryable } from "../db/Database.ts";

/** When an agent turned two-factor sign-in on (null: off), and whether an enrolment is under way. */
export async function findTwoFactorState(
  db: Queryable,
  agentId: string,
): Promise<{ totp_enabled_at: Date | null; pending: boolean } | undefined> {
  const { rows } = await db.query<{ totp_enabled_at: Date | null; pending: boolean }>(
    "SELECT totp_enabled_at, totp_pending_secret IS NOT NULL AS pending FROM agents WHERE id = $1",
    [agentId],
  );
  return rows[0];
}
