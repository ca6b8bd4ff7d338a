import type { Broadcaster } from "./Broadcaster.ts";
import type { DomainEvents } from "../../events/EventBus.ts";
import { rooms } from "./rooms.ts";
import { presentMessage } from "../../presenters/presentMessage.ts";
import { presentConversation } from "../../presenters/presentConversation.ts";

type ConversationChange = DomainEvents["conversation.created" | "conversation.updated" | "conversation.status_changed"];

/**
 * Fans domain events out to sockets: customers get their own conversation's public
 * messages and status; agents get what their rooms allow. Private notes never go
 * to a contact room. One listener per event; server/events/listeners.ts says which
 * events they hear. Lives with the realtime service it feeds: it reacts at once, in
 * the process that saw the event, and queues no job.
 */
export function fanOutToSockets(out: Broadcaster) {
  return {
    messageCreated({ conversation, message }: DomainEvents["message.created"]) {
      out.to("/agent", rooms.staffFor(conversation), "message", {
        message: presentMessage(message, "agent", { trace: false }),
        conversation: presentConversation(conversation),
      });
      if (!message.private) {
        out.to("/widget", [rooms.contact(conversation.contact_id)], "message", presentMessage(message, "contact"));
      }
    },
    conversationChanged({ conversation }: ConversationChange) {
      out.to("/agent", rooms.staffFor(conversation), "conversation", presentConversation(conversation));
      out.to("/widget", [rooms.contact(conversation.contact_id)], "conversation", presentConversation(conversation, "contact"));
    },
    handoff({ conversation, reason }: DomainEvents["conversation.handoff"]) {
      out.to("/agent", rooms.staffFor(conversation), "handoff", { conversation: presentConversation(conversation), reason });
      out.to("/widget", [rooms.contact(conversation.contact_id)], "handoff", { conversationId: conversation.id });
    },
    /** The customer's rating of a resolved conversation, live in the console. */
    csatCreated({ conversation, rating, comment }: DomainEvents["csat.created"]) {
      out.to("/agent", rooms.staffFor(conversation), "csat", {
        conversationId: conversation.id,
        csat: { rating, comment, createdAt: new Date().toISOString() },
      });
    },
    agentAccessChanged({ agentId, sessionTokenHashes }: DomainEvents["agent.access_changed"]) {
      out.disconnect("/agent", sessionTokenHashes ? sessionTokenHashes.map(rooms.agentSession) : [rooms.agent(agentId)]);
    },
    agentPresenceChanged({ agentId, availability }: DomainEvents["agent.presence_changed"]) {
      out.to("/agent", [rooms.admins, rooms.agent(agentId)], "presence", { agentId, availability });
    },
    /** A channel reply's delivery status (queued, sent, failed) for the agents watching. */
    messageUpdated({ conversation, message }: DomainEvents["message.updated"]) {
      out.to("/agent", rooms.staffFor(conversation), "message:updated", { message: presentMessage(message, "agent", { trace: false }) });
    },
    messageStreaming({ conversation, streamId, delta, done, reset }: DomainEvents["message.streaming"]) {
      const e = { conversationId: conversation.id, streamId, delta, done, ...(reset ? { reset: true } : {}) };
      out.to("/widget", [rooms.contact(conversation.contact_id)], "message:stream", e);
      out.to("/agent", rooms.staffFor(conversation), "message:stream", e);
    },
  };
}
