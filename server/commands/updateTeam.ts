import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { TeamRow } from "../models/teams.ts";

export interface UpdateTeamProps {
  actor: Actor;
  teamId: string;
  name?: string;
  /** Replaces the team's members. */
  memberIds?: string[];
  ip?: string;
}

/**
 * Makes the team's members exactly `agentIds` (active console users only; content
 * editors take no conversations). Returns the sorted member ids.
 */
export async function setTeamMembers(tx: Queryable, teamId: string, agentIds: string[]): Promise<string[]> {
  const ids = [...new Set(agentIds)].sort();
  if (ids.length) {
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id::text FROM agents WHERE id = ANY($1::uuid[]) AND disabled_at IS NULL AND role <> 'content'",
      [ids],
    );
    const known = new Set(rows.map((r) => r.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing)
      throw new AppError("validation_error", `No such active agent: ${missing}`, [{ path: "memberIds", message: "No such active agent" }]);
  }
  await tx.query("DELETE FROM team_members WHERE team_id = $1 AND NOT (agent_id = ANY($2::uuid[]))", [teamId, ids]);
  for (const id of ids) await tx.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [teamId, id]);
  return ids;
}

/** Renames a team and/or replaces its members; audited with what changed. */
export async function updateTeam(ctx: AppContext, props: UpdateTeamProps): Promise<TeamRow & { member_ids: string[] }> {
  authorize(canAdminister(props.actor));
  const { team, moved } = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<TeamRow & { member_ids: string[] }>(
      `SELECT t.*, COALESCE((SELECT array_agg(tm.agent_id::text ORDER BY tm.agent_id) FROM team_members tm WHERE tm.team_id = t.id), '{}') AS member_ids
       FROM teams t WHERE t.id = $1 FOR UPDATE`,
      [props.teamId],
    );
    const before = rows[0];
    if (!before) throw notFound("Team");
    const name = props.name?.trim() ?? before.name;
    const updated = (await tx.query<TeamRow>("UPDATE teams SET name = $2, updated_at = now() WHERE id = $1 RETURNING *", [before.id, name]))
      .rows[0]!;
    const memberIds = props.memberIds ? await setTeamMembers(tx, before.id, props.memberIds) : before.member_ids;
    const changes = auditDiff({ name: before.name, memberIds: before.member_ids }, { name, memberIds });
    if (Object.keys(changes).length) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "team.update",
        targetType: "team",
        targetId: before.id,
        data: { changes },
        ip: props.ip,
      });
    }
    const moved = [...memberIds, ...before.member_ids].filter((id) => !memberIds.includes(id) || !before.member_ids.includes(id));
    return { team: { ...updated, member_ids: memberIds }, moved };
  });
  for (const agentId of moved) ctx.bus.emit("agent.access_changed", { agentId, reason: "teams_changed" });
  return team;
}
