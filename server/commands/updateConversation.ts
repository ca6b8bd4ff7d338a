import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { ConversationRow, Priority } from "../models/conversations.ts";
import { findConversation } from "../conversations/queries.ts";
import { authorizeManage } from "../policies/conversationPolicy.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export interface UpdateConversationProps {
  actor: Actor;
  conversationId: string;
  priority?: Priority;
  labels?: string[];
}

/**
 * Sets a conversation's priority and/or labels. Listeners hear what changed (SLA
 * policies are chosen again on a priority or label change, automation rules match
 * on it); a request that changes nothing is neither audited nor announced.
 */
export async function updateConversation(ctx: AppContext, props: UpdateConversationProps): Promise<ConversationRow> {
  const { conversation, changes } = await ctx.db.transaction(async (tx) => {
    const c = authorizeManage(props.actor, await findConversation(tx, props.conversationId, { forUpdate: true }));
    const labels = props.labels ? [...new Set(props.labels.map((l) => l.trim().toLowerCase()).filter(Boolean))] : c.labels;
    const priority = props.priority ?? c.priority;
    const changes = [
      ...(priority !== c.priority ? ["priority"] : []),
      ...(labels.length !== c.labels.length || labels.some((l, i) => l !== c.labels[i]) ? ["labels"] : []),
    ];
    if (!changes.length) return { conversation: c, changes };
    const { rows } = await tx.query<ConversationRow>(
      "UPDATE conversations SET priority = $2, labels = $3, updated_at = now() WHERE id = $1 RETURNING *",
      [c.id, priority, labels],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "conversation.update",
      targetType: "conversation",
      targetId: c.id,
      data: { priority: props.priority, labels: props.labels, changes },
    });
    return { conversation: rows[0]!, changes };
  });
  if (changes.length) ctx.bus.emit("conversation.updated", { conversation, changes });
  return conversation;
}
