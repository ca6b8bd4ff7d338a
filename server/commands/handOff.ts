import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { findConversation, isUuid } from "../conversations/queries.ts";
import { notFound } from "../errors.ts";
import { postMessage } from "./postMessage.ts";
import { auditFrom } from "../audit/writeAudit.ts";
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
  const result = await markHandedOff(ctx, props);
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

/**
 * The status change and its audit record in one statement: the conversation row is
 * locked only while PostgreSQL runs it. As a transaction (lock, update, audit,
 * commit: four round trips) the lock was held across the worker's event-loop turns,
 * and the assistant's CPU work between them kept it "idle in transaction" for up to
 * 1.9 s (pg_stat_activity sampled during eval/bench/messagePath.ts's 100 msg/s phase,
 * load 9-13): the customer's next message to that conversation, whose insert locks
 * the same row (postMessage.ts), waited behind it before it could be acknowledged.
 * `status = 'pending'` in the WHERE decides under concurrency: a writer that waited
 * for the row re-reads it, and a conversation already handed off is left alone.
 */
async function markHandedOff(ctx: AppContext, props: HandOffProps): Promise<{ conversation: ConversationRow; changed: boolean }> {
  if (!isUuid(props.conversationId)) throw notFound("Conversation");
  const audit = auditFrom(
    "handed",
    {
      actor: BOT,
      action: "conversation.handoff",
      targetType: "conversation",
      targetId: props.conversationId,
      data: { reason: props.reason },
    },
    5,
  );
  const { rows } = await ctx.db.query<ConversationRow>(
    `WITH handed AS (
       UPDATE conversations SET status = 'open', handoff_reason = $2, handed_off_at = now(),
         waiting_since = COALESCE(waiting_since, now()), team_id = COALESCE($3, team_id),
         priority = CASE WHEN $4::text IS NULL THEN priority ELSE $4 END, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING *
     ), audit AS (${audit.sql})
     SELECT * FROM handed`,
    [props.conversationId, props.reason, props.teamId ?? null, props.priority ?? null, ...audit.params],
  );
  if (rows[0]) return { conversation: rows[0], changed: true };
  const c = await findConversation(ctx.db, props.conversationId);
  if (!c) throw notFound("Conversation");
  return { conversation: c, changed: false };
}
