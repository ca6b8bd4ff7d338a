import type { ConversationRow } from "../models/conversations.ts";
import type { Conversation, ConversationSummary } from "../../shared/wire/index.ts";
import type { Audience } from "./presentMessage.ts";
import type { Presented } from "./Presented.ts";

/** What some answers add to an agent's conversation (shared/wire/conversations.ts says which). */
type Extra = Partial<Pick<Presented<Conversation>, "contact" | "lastMessage" | "csat" | "sla">>;

/** The only way a conversation becomes JSON; customers get the fields that concern them. */
export function presentConversation(c: ConversationRow, audience: "contact"): Presented<ConversationSummary>;
export function presentConversation(c: ConversationRow, audience?: "agent", extra?: Extra): Presented<Conversation>;
export function presentConversation(
  c: ConversationRow,
  audience: Audience = "agent",
  extra: Extra = {},
): Presented<Conversation> | Presented<ConversationSummary> {
  if (audience === "contact") {
    return {
      id: c.id,
      displayId: c.display_id,
      status: c.status,
      statusVersion: c.status_version,
      lastSeq: c.last_seq,
      createdAt: c.created_at,
      lastActivityAt: c.last_activity_at,
    } satisfies Presented<ConversationSummary>;
  }
  return {
    id: c.id,
    displayId: c.display_id,
    inboxId: c.inbox_id,
    contactId: c.contact_id,
    status: c.status,
    statusVersion: c.status_version,
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
  } satisfies Presented<Conversation>;
}
