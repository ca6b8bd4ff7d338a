import type { AppContext } from "../context.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { withPeople } from "./refreshConversationSla.ts";

export const SLA_REFRESH_JOB = "sla.refresh";

/** The conversation changes that can move a policy's choice: what matchPolicy looks at. */
const MATCHED_ON = new Set(["team_id", "priority", "labels"]);

/**
 * The listeners (rows of events/listeners.ts) that keep conversations' service levels
 * current: each queues a refresh (sla/refreshConversationSla.ts) on a worker for the
 * changes that can move them, and nothing for the bot's own traffic (most messages).
 */
export function slaTriggers(ctx: AppContext) {
  const refresh = (conversationId: string) => ctx.queue.enqueue(SLA_REFRESH_JOB, { conversationId });
  return {
    created: async ({ conversation }: DomainEvents["conversation.created"]) => {
      if (withPeople(conversation)) await refresh(conversation.id);
    },
    updated: async ({ conversation, changes }: DomainEvents["conversation.updated"]) => {
      if (changes.some((c) => MATCHED_ON.has(c))) await refresh(conversation.id);
    },
    statusChanged: async ({ conversation }: DomainEvents["conversation.status_changed"]) => {
      await refresh(conversation.id);
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
