import type { AppContext } from "../../context.ts";
import { SYSTEM } from "../../actor.ts";
import type { ConversationRow } from "../../models/conversations.ts";
import { assignmentSettings, type OfflinePolicy } from "../assignmentSettings.ts";
import { auditFrom } from "../../audit/writeAudit.ts";
import { postMessage } from "../../commands/postMessage.ts";
import { autoAssignConversation } from "./autoAssignConversation.ts";

export interface ReleaseResult {
  /** Conversations given to another online agent. */
  reassigned: string[];
  /** Conversations returned to the Unassigned queue. */
  unassigned: string[];
  /** Conversations left with the agent (team setting `keep`). */
  kept: string[];
}

/**
 * An agent went offline (every console socket gone past the grace period): their
 * open conversations are returned to the queue and, where the team (or global)
 * setting says `reassign`, round-robined to another online agent. `keep` leaves
 * them. Does nothing if the agent is back online by the time it runs.
 */
export async function releaseAgentConversations(ctx: AppContext, props: { agentId: string }): Promise<ReleaseResult> {
  const out: ReleaseResult = { reassigned: [], unassigned: [], kept: [] };
  const agent = (
    await ctx.db.query<{ name: string; availability: string }>("SELECT name, availability FROM agents WHERE id = $1", [props.agentId])
  ).rows[0];
  if (!agent || agent.availability !== "offline") return out;
  const { rows } = await ctx.db.query<{ id: string; team_id: string | null }>(
    "SELECT id, team_id FROM conversations WHERE assignee_id = $1 AND status = 'open' ORDER BY waiting_since ASC NULLS LAST",
    [props.agentId],
  );
  for (const row of rows) {
    const settings = await assignmentSettings(ctx.db, ctx.config, row.team_id);
    if (settings.onAgentOffline === "keep") {
      out.kept.push(row.id);
      continue;
    }
    const released = await releaseOne(ctx, row.id, props.agentId, settings.onAgentOffline);
    if (!released) continue;
    ctx.bus.emit("conversation.updated", { conversation: released, changes: ["assignee_id", "released"] });
    await postMessage(ctx, {
      conversationId: released.id,
      messageType: "activity",
      senderType: "system",
      private: true,
      content: `${agent.name} went offline; the conversation went back to the queue`,
      contentAttributes: { kind: "released", agentId: props.agentId },
    });
    if (settings.onAgentOffline === "reassign") {
      const r = await autoAssignConversation(ctx, { conversationId: released.id });
      if (r.assigneeId) {
        out.reassigned.push(released.id);
        continue;
      }
    }
    out.unassigned.push(released.id);
  }
  return out;
}

/**
 * Takes the conversation from the agent and writes the audit record in one
 * statement, only if it is still theirs and open (someone may have taken it
 * meanwhile): its row is locked only while PostgreSQL runs it, not across the
 * round trips of a transaction, during which the customer's next message (whose
 * insert locks the same row, commands/postMessage.ts) would wait.
 */
async function releaseOne(
  ctx: AppContext,
  conversationId: string,
  agentId: string,
  policy: OfflinePolicy,
): Promise<ConversationRow | undefined> {
  const audit = auditFrom(
    "released",
    {
      actor: SYSTEM,
      action: "conversation.release",
      targetType: "conversation",
      targetId: conversationId,
      data: { from: { assignee: agentId }, reason: "agent_offline", policy },
    },
    3,
  );
  const { rows } = await ctx.db.query<ConversationRow>(
    `WITH released AS (
       UPDATE conversations SET assignee_id = NULL, updated_at = now()
       WHERE id = $1 AND assignee_id = $2 AND status = 'open' RETURNING *
     ), audit AS (${audit.sql})
     SELECT * FROM released`,
    [conversationId, agentId, ...audit.params],
  );
  return rows[0];
}
