import type { Broadcaster } from "./Broadcaster.ts";
import type { DomainEvents } from "../../events/EventBus.ts";
import { rooms } from "./rooms.ts";
import { AGENT_EVENTS, AGENT_NAMESPACE, WIDGET_EVENTS, WIDGET_NAMESPACE } from "../../../shared/wire/index.ts";
import { presentLiveMessage, presentMessage } from "../../presenters/presentMessage.ts";
import { presentConversation } from "../../presenters/presentConversation.ts";

type ConversationChange = DomainEvents["conversation.created" | "conversation.updated" | "conversation.status_changed"];

/**
 * Fans domain events out to sockets (the events of shared/wire/socketEvents.ts):
 * customers get their own conversation's public
 * messages and status; agents get what their rooms allow. Private notes never go
 * to a contact room. One listener per event; server/events/listeners.ts says which
 * events they hear. Lives with the realtime service it feeds: it reacts at once, in
 * the process that saw the event, and queues no job.
 */
export function fanOutToSockets(out: Broadcaster) {
  return {
    messageCreated({ conversation, message, originSocketId }: DomainEvents["message.created"]) {
      // Formatted once (a customer's message already was, for its acknowledgement: presentMessage).
      const shown = presentLiveMessage(message);
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.message, {
        message: shown.agent,
        conversation: presentConversation(conversation),
      });
      // Not back to the socket that sent it: its acknowledgement carried the message (a frame and a
      // system call per customer message saved, and the widget's work of reading it again).
      const except = originSocketId ? [originSocketId] : undefined;
      if (shown.contact) out.to(WIDGET_NAMESPACE, [rooms.contact(conversation.contact_id)], WIDGET_EVENTS.message, shown.contact, except);
    },
    conversationChanged({ conversation }: ConversationChange) {
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.conversation, presentConversation(conversation));
      out.to(
        WIDGET_NAMESPACE,
        [rooms.contact(conversation.contact_id)],
        WIDGET_EVENTS.conversation,
        presentConversation(conversation, "contact"),
      );
    },
    handoff({ conversation, reason }: DomainEvents["conversation.handoff"]) {
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.handoff, {
        conversation: presentConversation(conversation),
        reason,
      });
      out.to(WIDGET_NAMESPACE, [rooms.contact(conversation.contact_id)], WIDGET_EVENTS.handoff, { conversationId: conversation.id });
    },
    /** The customer's rating of a resolved conversation, live in the console. */
    csatCreated({ conversation, rating, comment }: DomainEvents["csat.created"]) {
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.csat, {
        conversationId: conversation.id,
        csat: { rating, comment, createdAt: new Date().toISOString() },
      });
    },
    agentAccessChanged({ agentId, sessionTokenHashes }: DomainEvents["agent.access_changed"]) {
      out.disconnect(AGENT_NAMESPACE, sessionTokenHashes ? sessionTokenHashes.map(rooms.agentSession) : [rooms.agent(agentId)]);
    },
    agentPresenceChanged({ agentId, availability }: DomainEvents["agent.presence_changed"]) {
      out.to(AGENT_NAMESPACE, [rooms.admins, rooms.agent(agentId)], AGENT_EVENTS.presence, { agentId, availability });
    },
    /** A channel reply's delivery status (queued, sent, failed) for the agents watching. */
    messageUpdated({ conversation, message }: DomainEvents["message.updated"]) {
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.messageUpdated, {
        message: presentMessage(message, "agent", { trace: false }),
      });
    },
    messageStreaming({ conversation, streamId, delta, done, reset }: DomainEvents["message.streaming"]) {
      const e = { conversationId: conversation.id, streamId, delta, done, ...(reset ? { reset: true } : {}) };
      out.to(WIDGET_NAMESPACE, [rooms.contact(conversation.contact_id)], WIDGET_EVENTS.stream, e);
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.stream, e);
    },
  };
}
