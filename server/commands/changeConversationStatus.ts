import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { ConversationRow, ConversationStatus } from "../models/conversations.ts";
import { findConversation } from "../conversations/queries.ts";
import { authorizeManage } from "../policies/conversationPolicy.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { postMessage } from "./postMessage.ts";

export interface ChangeConversationStatusProps {
  actor: Actor;
  conversationId: string;
  /** `open` re-opens (or takes over from the bot), `snoozed` needs `snoozedUntil`. */
  status: Exclude<ConversationStatus, "pending"> | "pending";
  snoozedUntil?: Date;
  /**
   * The snooze's time has come (conversations/snoozeModule.ts): re-open only if the
   * conversation is still snoozed and due, so an agent's later snooze or re-open wins.
   */
  snoozeEnded?: boolean;
}

const ACTIVITY: Record<ConversationStatus, string> = {
  pending: "Conversation returned to the assistant",
  open: "Conversation re-opened",
  snoozed: "Conversation snoozed",
  resolved: "Conversation resolved",
};

/**
 * Resolves, snoozes, re-opens or returns a conversation to the bot. Resolving stops
 * the waiting clock; re-opening a resolved conversation starts it again.
 */
export async function changeConversationStatus(ctx: AppContext, props: ChangeConversationStatusProps): Promise<ConversationRow> {
  if (props.status === "snoozed" && (!props.snoozedUntil || props.snoozedUntil.getTime() <= Date.now())) {
    throw new AppError("validation_error", "Snoozing needs a time in the future");
  }
  const { conversation, from } = await ctx.db.transaction(async (tx) => {
    const c = authorizeManage(props.actor, await findConversation(tx, props.conversationId, { forUpdate: true }));
    if (c.status === props.status && props.status !== "snoozed") return { conversation: c, from: c.status };
    const due = c.status === "snoozed" && c.snoozed_until !== null && c.snoozed_until.getTime() <= Date.now();
    if (props.snoozeEnded && !due) return { conversation: c, from: c.status };
    const { rows } = await tx.query<ConversationRow>(
      `UPDATE conversations SET status = $2,
         snoozed_until = $3,
         resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
         waiting_since = CASE WHEN $2 IN ('resolved', 'pending') THEN NULL
                              WHEN $2 = 'open' AND status = 'resolved' THEN now() ELSE waiting_since END,
         bot_state = CASE WHEN $2 = 'resolved' THEN '{}'::jsonb ELSE bot_state END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [c.id, props.status, props.status === "snoozed" ? props.snoozedUntil : null],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: `conversation.${props.status}`,
      targetType: "conversation",
      targetId: c.id,
      data: { from: c.status, ...(props.snoozeEnded ? { snoozeEnded: true } : {}) },
    });
    return { conversation: rows[0]!, from: c.status };
  });
  if (from !== conversation.status || props.status === "snoozed") {
    await postMessage(ctx, {
      conversationId: conversation.id,
      messageType: "activity",
      senderType: "system",
      content: props.snoozeEnded ? "Snooze ended: conversation re-opened" : ACTIVITY[props.status],
      contentAttributes: { kind: "status", status: props.status },
    });
    ctx.bus.emit("conversation.status_changed", { conversation, from, to: conversation.status });
  }
  return conversation;
}
