import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { AgentRow } from "../models/agents.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { authorizeAgentChange } from "../policies/agentPolicy.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { postMessage } from "./postMessage.ts";
import { countActiveAdmins, lockAgent } from "./updateAgent.ts";

export interface SetAgentActiveProps {
  actor: Actor;
  agentId: string;
  active: boolean;
  ip?: string;
}

/**
 * Deactivates or reactivates a console user. Deactivating signs them out
 * everywhere, sets them offline and hands their open conversations back to the
 * unassigned queue; it refuses the last active admin and one's own account.
 * Users are never deleted: the audit log and past conversations keep their name.
 */
export async function setAgentActive(ctx: AppContext, props: SetAgentActiveProps): Promise<AgentRow & { team_ids: string[] }> {
  const { agent, released } = await ctx.db.transaction(async (tx) => {
    const admins = await countActiveAdmins(tx);
    const before = await lockAgent(tx, props.agentId);
    const wasActive = before.disabled_at === null;
    authorizeAgentChange(props.actor, {
      target: { id: before.id, role: before.role, active: wasActive },
      next: { role: before.role, active: props.active },
      activeAdmins: admins,
    });
    if (wasActive === props.active) return { agent: before, released: [] as ConversationRow[] };
    const { rows } = await tx.query<AgentRow>(
      `UPDATE agents SET disabled_at = ${props.active ? "NULL" : "now()"}, availability = 'offline',
         failed_logins = 0, locked_until = NULL, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [before.id],
    );
    let released: ConversationRow[] = [];
    if (!props.active) {
      await tx.query("DELETE FROM agent_sessions WHERE agent_id = $1", [before.id]);
      released = (
        await tx.query<ConversationRow>(
          `UPDATE conversations SET assignee_id = NULL, updated_at = now()
           WHERE assignee_id = $1 AND status IN ('open', 'snoozed') RETURNING *`,
          [before.id],
        )
      ).rows;
    }
    await writeAudit(tx, {
      actor: props.actor,
      action: props.active ? "agent.reactivate" : "agent.deactivate",
      targetType: "agent",
      targetId: before.id,
      data: { email: before.email, ...(props.active ? {} : { unassignedConversations: released.length }) },
      ip: props.ip,
    });
    return { agent: { ...rows[0]!, team_ids: before.team_ids }, released };
  });
  if (!props.active) ctx.bus.emit("agent.access_changed", { agentId: agent.id, reason: "deactivated" });
  for (const conversation of released) {
    ctx.bus.emit("conversation.updated", { conversation, changes: ["assignee_id"] });
    await postMessage(ctx, {
      conversationId: conversation.id,
      messageType: "activity",
      senderType: "system",
      private: true,
      content: `${agent.name} was deactivated; the conversation went back to the queue`,
      contentAttributes: { kind: "released", agentId: agent.id, reason: "agent_deactivated" },
    });
  }
  return agent;
}
