import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { TeamRow } from "../models/teams.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { setTeamMembers } from "./updateTeam.ts";

export interface CreateTeamProps {
  actor: Actor;
  name: string;
  /** Stable identifier (routing rules, the API): lower-case letters, digits and dashes. */
  slug: string;
  /** Agents in the team. */
  memberIds?: string[];
  ip?: string;
}

/** Creates a team (cards, deposits, complaints...) that conversations are routed to. */
export async function createTeam(ctx: AppContext, props: CreateTeamProps): Promise<TeamRow & { member_ids: string[] }> {
  authorize(canAdminister(props.actor));
  const created = await ctx.db.transaction(async (tx) => {
    const taken = await tx.query("SELECT 1 FROM teams WHERE slug = $1", [props.slug]);
    if (taken.rowCount > 0)
      throw new AppError("conflict", `A team with the identifier ${props.slug} already exists`, [
        { path: "slug", message: "Already in use" },
      ]);
    const { rows } = await tx.query<TeamRow>("INSERT INTO teams (name, slug) VALUES ($1, $2) RETURNING *", [props.name.trim(), props.slug]);
    const team = rows[0]!;
    const memberIds = await setTeamMembers(tx, team.id, props.memberIds ?? []);
    await writeAudit(tx, {
      actor: props.actor,
      action: "team.create",
      targetType: "team",
      targetId: team.id,
      data: { name: team.name, slug: team.slug, memberIds },
      ip: props.ip,
    });
    return { ...team, member_ids: memberIds };
  });
  // Members are given the new team's room when their consoles reconnect.
  for (const agentId of created.member_ids) ctx.bus.emit("agent.access_changed", { agentId, reason: "teams_changed" });
  return created;
}
