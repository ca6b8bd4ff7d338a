import type { AppContext } from "../context.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { withPeople } from "./refreshConversationSla.ts";

export const SLA_REFRESH_JOB = "sla.refresh";
export interface SlaRefreshJob {
  conversationId: string;
  /** A change into or out of a snooze, recorded as a pause before the refresh (sla/slaPauses.ts). */
  pause?: { from: string; to: string; at: string };
}

/** The conversation changes that can move a policy's choice: what matchPolicy looks at. */
const MATCHED_ON = new Set(["team_id", "priority", "labels"]);

/**
 * The listeners (rows of events/listeners.ts) that keep conversations' service levels
 * current: each queues a refresh (sla/refreshConversationSla.ts) on a worker for the
 * changes that can move them, and nothing for the bot's own traffic (most messages).
 */
export function slaTriggers(ctx: AppContext) {
  const refresh = (conversationId: string) => ctx.queue.enqueue<SlaRefreshJob>(SLA_REFRESH_JOB, { conversationId });
  return {
    created: async ({ conversation }: DomainEvents["conversation.created"]) => {
      if (withPeople(conversation)) await refresh(conversation.id);
    },
    updated: async ({ conversation, changes }: DomainEvents["conversation.updated"]) => {
      if (changes.some((c) => MATCHED_ON.has(c))) await refresh(conversation.id);
    },
    /** Snoozing stops the clocks, leaving the snooze starts them again: the change's time goes with the job. */
    statusChanged: async ({ conversation, from, to }: DomainEvents["conversation.status_changed"]) => {
      const pause = from === "snoozed" || to === "snoozed" ? { from, to, at: conversation.updated_at.toISOString() } : undefined;
      await ctx.queue.enqueue<SlaRefreshJob>(SLA_REFRESH_JOB, { conversationId: conversation.id, pause });
    },
    /** A customer writing to people starts a wait; an agent's public reply ends one. */
    messageCreated: async ({ conversation, message }: DomainEvents["message.created"]) => {
      if (message.private) return;
      const customerWaiting = message.message_type === "incoming" && withPeople(conversation);
      const agentReply = message.message_type === "outgoing" && message.sender_type === "agent";
      if (customerWaiting || agentReply) await refresh(conversation.id);
    },
  };
}
