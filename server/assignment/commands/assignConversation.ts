import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import type { ConversationRow } from "../../models/conversations.ts";
import { findConversation } from "../../conversations/queries.ts";
import { authorizeManage } from "../../policies/conversationPolicy.ts";
import { AppError } from "../../errors.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { postMessage } from "../../commands/postMessage.ts";
import { customerFacingName } from "../../agents/customerFacingName.ts";

export interface AssignConversationProps {
  actor: Actor;
  conversationId: string;
  /** The agent to assign, or null to unassign. Omit to leave the assignee as it is. */
  assigneeId?: string | null;
  /** The team to route to, or null for none. Omit to leave the team as it is. */
  teamId?: string | null;
  /**
   * Assign only when the conversation has this assignee now (null: unassigned).
   * Two agents taking the same conversation at once: exactly one wins, the other
   * gets a conflict.
   */
  expectedAssigneeId?: string | null;
}

/** Assigns a conversation to an agent and/or team, records it in the audit log and the thread. */
export async function assignConversation(ctx: AppContext, props: AssignConversationProps): Promise<ConversationRow> {
  const { conversation, changed } = await ctx.db.transaction(async (tx) => {
    const c = authorizeManage(props.actor, await findConversation(tx, props.conversationId, { forUpdate: true }));
    if (props.expectedAssigneeId !== undefined && c.assignee_id !== props.expectedAssigneeId) {
      throw new AppError("conflict", "Someone else has just taken this conversation");
    }
    if (props.assigneeId) {
      const agent = await tx.query("SELECT 1 FROM agents WHERE id = $1 AND disabled_at IS NULL AND role <> 'content'", [props.assigneeId]);
      if (agent.rowCount === 0) throw new AppError("validation_error", "No such agent");
    }
    if (props.teamId) {
      const team = await tx.query("SELECT 1 FROM teams WHERE id = $1", [props.teamId]);
      if (team.rowCount === 0) throw new AppError("validation_error", "No such team");
    }
    const assignee = props.assigneeId === undefined ? c.assignee_id : props.assigneeId;
    const team = props.teamId === undefined ? c.team_id : props.teamId;
    if (assignee === c.assignee_id && team === c.team_id) return { conversation: c, changed: false };
    const { rows } = await tx.query<ConversationRow>(
      "UPDATE conversations SET assignee_id = $2, team_id = $3, updated_at = now() WHERE id = $1 RETURNING *",
      [c.id, assignee, team],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "conversation.assign",
      targetType: "conversation",
      targetId: c.id,
      data: { from: { assignee: c.assignee_id, team: c.team_id }, to: { assignee, team } },
    });
    return { conversation: rows[0]!, changed: true };
  });
  if (changed) {
    ctx.bus.emit("conversation.updated", { conversation, changes: ["assignee_id", "team_id"] });
    if (conversation.assignee_id) {
      const { rows } = await ctx.db.query<{ name: string; display_name: string | null }>(
        "SELECT name, display_name FROM agents WHERE id = $1",
        [conversation.assignee_id],
      );
      // The customer sees this line: the agent's display name, not their full name.
      const name = rows[0] ? customerFacingName(rows[0]) : null;
      await postMessage(ctx, {
        conversationId: conversation.id,
        messageType: "activity",
        senderType: "system",
        content: `${name ?? "An agent"} joined the conversation`,
        contentAttributes: { kind: "assigned", agentName: name },
      });
    }
  }
  return conversation;
}
