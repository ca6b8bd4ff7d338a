import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { TeamRow } from "../models/teams.ts";

export interface DeleteTeamProps {
  actor: Actor;
  teamId: string;
  /**
   * The team that takes over the deleted team's conversations. Required when it has
   * any: a conversation without a team is visible to every agent, so a team's
   * (possibly sensitive) conversations must not silently lose theirs.
   */
  moveConversationsTo?: string;
  ip?: string;
}

/** Deletes a team, moving its conversations to another team; inboxes routing to it route to no team. */
export async function deleteTeam(ctx: AppContext, props: DeleteTeamProps): Promise<void> {
  authorize(canAdminister(props.actor));
  const { movedRows, members } = await ctx.db.transaction(async (tx) => {
    const team = (await tx.query<TeamRow>("SELECT * FROM teams WHERE id = $1 FOR UPDATE", [props.teamId])).rows[0];
    if (!team) throw notFound("Team");
    const count = (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE team_id = $1", [team.id])).rows[0]!.n;
    let target: TeamRow | undefined;
    if (props.moveConversationsTo !== undefined) {
      if (props.moveConversationsTo === team.id)
        throw new AppError("validation_error", "Choose another team to move the conversations to", [
          { path: "moveConversationsTo", message: "Choose another team" },
        ]);
      target = (await tx.query<TeamRow>("SELECT * FROM teams WHERE id = $1", [props.moveConversationsTo])).rows[0];
      if (!target)
        throw new AppError("validation_error", "No such team to move the conversations to", [
          { path: "moveConversationsTo", message: "No such team" },
        ]);
    }
    if (count > 0 && !target) {
      throw new AppError("conflict", `${team.name} has ${count} conversation${count === 1 ? "" : "s"}: choose a team to move them to`, [
        { path: "moveConversationsTo", message: "Required: the team has conversations" },
      ]);
    }
    const movedRows = target
      ? (
          await tx.query<ConversationRow>("UPDATE conversations SET team_id = $2, updated_at = now() WHERE team_id = $1 RETURNING *", [
            team.id,
            target.id,
          ])
        ).rows
      : [];
    const inboxes = await tx.query("UPDATE inboxes SET default_team_id = NULL, updated_at = now() WHERE default_team_id = $1", [team.id]);
    const members = (await tx.query<{ agent_id: string }>("SELECT agent_id::text FROM team_members WHERE team_id = $1", [team.id])).rows;
    await tx.query("DELETE FROM teams WHERE id = $1", [team.id]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "team.delete",
      targetType: "team",
      targetId: team.id,
      data: {
        name: team.name,
        slug: team.slug,
        conversationsMoved: movedRows.length,
        movedTo: target ? { id: target.id, name: target.name } : null,
        inboxesUnrouted: inboxes.rowCount,
      },
      ip: props.ip,
    });
    return { movedRows, members };
  });
  for (const { agent_id } of members) ctx.bus.emit("agent.access_changed", { agentId: agent_id, reason: "teams_changed" });
  for (const conversation of movedRows) ctx.bus.emit("conversation.updated", { conversation, changes: ["team_id"] });
}
