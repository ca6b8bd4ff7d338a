import type { Queryable } from "../db/Database.ts";
import type { AgentRow } from "../models/agents.ts";
import { hasSecurityKey } from "./securityKeys.ts";

/** The second factors an agent can sign in with: an authenticator app (TOTP), a security key or passkey. */
export type SecondFactorKind = "totp" | "security_key";

/** Which second factors the agent has; none: they sign in with the password alone. */
export async function secondFactorMethods(db: Queryable, agent: Pick<AgentRow, "id" | "totp_enabled_at">): Promise<SecondFactorKind[]> {
  const methods: SecondFactorKind[] = [];
  if (agent.totp_enabled_at !== null) methods.push("totp");
  if (await hasSecurityKey(db, agent.id)) methods.push("security_key");
  return methods;
}
