import type { Queryable } from "../db/Database.ts";
import type { AgentRow } from "../models/agents.ts";
import { HAS_SECURITY_KEY_SQL } from "../auth/securityKeys.ts";

/** An agent with the ids of the teams they belong to. */
export type AgentWithTeamIds = AgentRow & { team_ids: string[]; has_security_key?: boolean };

const WITH_TEAM_IDS_ORDERED = `SELECT a.*, ${HAS_SECURITY_KEY_SQL} AS has_security_key, COALESCE((SELECT array_agg(tm.team_id::text ORDER BY tm.team_id) FROM team_members tm WHERE tm.agent_id = a.id), '{}') AS team_ids
  FROM agents a`;

/** Every console user, deactivated ones last, for the admin console. */
export async function listAgentsForAdmin(db: Queryable): Promise<AgentWithTeamIds[]> {
  const { rows } = await db.query<AgentWithTeamIds>(`${WITH_TEAM_IDS_ORDERED} ORDER BY a.disabled_at IS NOT NULL, lower(a.name)`);
  return rows;
}

/** One console user, deactivated or not, with their teams. */
export async function findAgentWithTeamIds(db: Queryable, agentId: string): Promise<AgentWithTeamIds | undefined> {
  const { rows } = await db.query<AgentWithTeamIds>(`${WITH_TEAM_IDS_ORDERED} WHERE a.id = $1`, [agentId]);
  return rows[0];
}

/** The agents who can be assigned work (not deactivated), by name: the console's directory. */
export async function listActiveAgents(db: Queryable): Promise<AgentWithTeamIds[]> {
  const { rows } = await db.query<AgentWithTeamIds>(
    `SELECT a.*, COALESCE((SELECT array_agg(tm.team_id::text) FROM team_members tm WHERE tm.agent_id = a.id), '{}') AS team_ids
     FROM agents a WHERE a.disabled_at IS NULL ORDER BY a.name`,
  );
  return rows;
}
