import type { AgentRow } from "../models/agents.ts";
import { customerFacingName } from "../agents/customerFacingName.ts";
import type { Agent, AgentForAdmin } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

/** Never includes the password hash or lock-out counters. */
export function presentAgent(a: AgentRow, teamIds: string[] = []): Presented<Agent> {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    /** Chosen by the agent or an admin; null: customers see customerName, the first name. */
    displayName: a.display_name ?? null,
    customerName: customerFacingName(a),
    role: a.role,
    availability: a.availability,
    capacity: a.capacity,
    teamIds,
    disabled: a.disabled_at !== null,
    createdAt: a.created_at,
  };
}

/** For the admin console: adds lock-out, two-factor and change times (still never the password hash or the TOTP secret). */
export function presentAgentForAdmin(
  a: AgentRow & { updated_at?: Date; has_security_key?: boolean },
  teamIds: string[] = [],
): Presented<AgentForAdmin> {
  return {
    ...presentAgent(a, teamIds),
    lockedUntil: a.locked_until && a.locked_until.getTime() > Date.now() ? a.locked_until : null,
    // An authenticator app or a security key.
    twoFactorEnabled: a.totp_enabled_at !== null || a.has_security_key === true,
    updatedAt: a.updated_at ?? a.created_at,
  };
}
