import type { Actor, AppContext } from "../context.ts";
import type { ConversationRow, Priority } from "../models/conversations.ts";
import { findConversation } from "../conversations/queries.ts";
import { authorizeManage } from "../policies/conversationPolicy.ts";
import { writeAudit } from "./writeAudit.ts";

export interface UpdateConversationProps {
  actor: Actor;
  conversationId: string;
  priority?: Priority;
  labels?: string[];
}

/** Sets a conversation's priority and/or labels. */
export async function updateConversation(ctx: AppContext, props: UpdateConversationProps): Promise<ConversationRow> {
  const conversation = await ctx.db.transaction(async (tx) => {
    const c = authorizeManage(props.actor, await findConversation(tx, props.conversationId, { forUpdate: true }));
    const labels = props.labels ? [...new Set(props.labels.map((l) => l.trim().toLowerCase()).filter(Boolean))] : c.labels;
    const { rows } = await tx.query<ConversationRow>(
      "UPDATE conversations SET priority = $2, labels = $3, updated_at = now() WHERE id = $1 RETURNING *",
      [c.id, props.priority ?? c.priority, labels],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "conversation.update",
      targetType: "conversation",
      targetId: c.id,
      data: { priority: props.priority, labels: props.labels },
    });
    return rows[0]!;
  });
  ctx.bus.emit("conversation.updated", { conversation, changes: ["priority", "labels"] });
  return conversation;
}
