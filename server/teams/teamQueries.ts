import type { Queryable } from "../db/Database.ts";
import type { TeamRef } from "../../shared/wire/index.ts";
import type { TeamWithMembers } from "../models/teams.ts";

/** A team with its members and how many conversations it holds (the admin console's view). */
export type TeamWithUsage = TeamWithMembers & { conversations: number };

const WITH_MEMBERS_AND_USAGE = `SELECT t.*,
    COALESCE((SELECT array_agg(tm.agent_id::text ORDER BY tm.agent_id) FROM team_members tm WHERE tm.team_id = t.id), '{}') AS member_ids,
    (SELECT count(*)::int FROM conversations c WHERE c.team_id = t.id) AS conversations
  FROM teams t`;

export async function listTeamsWithUsage(db: Queryable): Promise<TeamWithUsage[]> {
  const { rows } = await db.query<TeamWithUsage>(`${WITH_MEMBERS_AND_USAGE} ORDER BY lower(t.name)`);
  return rows;
}

export async function findTeamWithUsage(db: Queryable, teamId: string): Promise<TeamWithUsage | undefined> {
  const { rows } = await db.query<TeamWithUsage>(`${WITH_MEMBERS_AND_USAGE} WHERE t.id = $1`, [teamId]);
  return rows[0];
}

/** Every team's id, name and slug, by name: what the console filters and assigns by. */
export async function listTeamRefs(db: Queryable): Promise<TeamRef[]> {
  const { rows } = await db.query<TeamRef>("SELECT id, name, slug FROM teams ORDER BY name");
  return rows;
}
