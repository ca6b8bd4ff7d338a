import type { ConversationRow } from "../conversations/types.ts";
import type { Audience } from "./presentMessage.ts";

/** The only way a conversation becomes JSON; customers get the fields that concern them. */
export function presentConversation(
  c: ConversationRow,
  audience: Audience = "agent",
  extra: { contact?: unknown; assignee?: unknown; lastMessage?: unknown; csat?: unknown } = {},
) {
  if (audience === "contact") {
    return {
      id: c.id,
      displayId: c.display_id,
      status: c.status,
      lastSeq: c.last_seq,
      createdAt: c.created_at,
      lastActivityAt: c.last_activity_at,
    };
  }
  return {
    id: c.id,
    displayId: c.display_id,
    inboxId: c.inbox_id,
    contactId: c.contact_id,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assignee_id,
    teamId: c.team_id,
    labels: c.labels,
    handoffReason: c.handoff_reason,
    snoozedUntil: c.snoozed_until,
    waitingSince: c.waiting_since,
    firstReplyAt: c.first_reply_at,
    handedOffAt: c.handed_off_at,
    resolvedAt: c.resolved_at,
    lastSeq: c.last_seq,
    lastActivityAt: c.last_activity_at,
    sentiment: c.sentiment_label ? { label: c.sentiment_label, score: c.sentiment_score } : null,
    createdAt: c.created_at,
    ...extra,
  };
}
