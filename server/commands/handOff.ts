import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { findConversation } from "../conversations/queries.ts";
import { notFound } from "../errors.ts";
import { postMessage } from "./postMessage.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { BOT } from "../actor.ts";

export const HANDOFF_REASONS = [
  "explicit_request",
  "negative_sentiment",
  "sensitive_topic",
  "low_confidence",
  "rejected_answers",
  "error",
  "channel_rule",
  "core_banking_unavailable",
  /** One of the bank's own tools (customTools/) failed, timed out or answered something unusable. */
  "tool_failed",
  /** A complaint: the assistant recorded a case (cases/) and told the customer its reference and deadline. */
  "complaint",
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export interface HandOffProps {
  conversationId: string;
  reason: HandoffReason;
  /** A short summary for the agent, posted as a private note with the reason. */
  summary: string;
  /** Route to this team instead of the conversation's current one. */
  teamId?: string | null;
  priority?: "none" | "low" | "medium" | "high" | "urgent";
}

/**
 * Hands a bot-owned conversation to the humans: status `open`, the waiting clock
 * started, routed to a team, the reason and summary written as a private note. The
 * bot stays silent on an `open` conversation until it is resolved. A conversation
 * already with the humans is left as it is (the call is idempotent).
 */
export async function handOff(ctx: AppContext, props: HandOffProps): Promise<{ conversation: ConversationRow; changed: boolean }> {
  const result = await ctx.db.transaction(async (tx) => {
    const c = await findConversation(tx, props.conversationId, { forUpdate: true });
    if (!c) throw notFound("Conversation");
    if (c.status !== "pending") return { conversation: c, changed: false };
    const { rows } = await tx.query<ConversationRow>(
      `UPDATE conversations SET status = 'open', handoff_reason = $2, handed_off_at = now(),
         waiting_since = COALESCE(waiting_since, now()), team_id = COALESCE($3, team_id),
         priority = CASE WHEN $4::text IS NULL THEN priority ELSE $4 END, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [c.id, props.reason, props.teamId ?? null, props.priority ?? null],
    );
    await writeAudit(tx, {
      actor: BOT,
      action: "conversation.handoff",
      targetType: "conversation",
      targetId: c.id,
      data: { reason: props.reason },
    });
    return { conversation: rows[0]!, changed: true };
  });
  if (!result.changed) return result;

  await postMessage(ctx, {
    conversationId: props.conversationId,
    messageType: "activity",
    senderType: "bot",
    private: true,
    content: props.summary,
    contentAttributes: { kind: "handoff_note", reason: props.reason },
  });
  ctx.bus.emit("conversation.status_changed", { conversation: result.conversation, from: "pending", to: "open" });
  ctx.bus.emit("conversation.handoff", { conversation: result.conversation, reason: props.reason });
  return result;
}
