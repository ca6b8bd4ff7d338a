import type { AgentRow } from "../conversations/types.ts";

/** Never includes the password hash or lock-out counters. */
export function presentAgent(a: AgentRow, teamIds: string[] = []) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    availability: a.availability,
    capacity: a.capacity,
    teamIds,
    disabled: a.disabled_at !== null,
    createdAt: a.created_at,
  };
}
