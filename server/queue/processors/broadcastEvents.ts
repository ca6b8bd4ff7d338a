import type { AppContext } from "../../context.ts";
import type { Broadcaster } from "../../services/realtime/Broadcaster.ts";
import { rooms } from "../../services/realtime/rooms.ts";
import { presentMessage } from "../../presenters/presentMessage.ts";
import { presentConversation } from "../../presenters/presentConversation.ts";
import { broadcastCaseEvents } from "../../cases/broadcastCaseEvents.ts";

/**
 * Fans domain events out to sockets: customers get their own conversation's public
 * messages and status; agents get what their rooms allow. Private notes never go
 * to a contact room.
 */
export function broadcastEvents(ctx: AppContext, out: Broadcaster): void {
  broadcastCaseEvents(ctx, out);
  ctx.bus.on("message.created", ({ conversation, message }) => {
    out.to("/agent", rooms.staffFor(conversation), "message", {
      message: presentMessage(message, "agent", { trace: false }),
      conversation: presentConversation(conversation),
    });
    if (!message.private) {
      out.to("/widget", [rooms.contact(conversation.contact_id)], "message", presentMessage(message, "contact"));
    }
  });
  const conversationChanged = ({ conversation }: { conversation: Parameters<typeof presentConversation>[0] }) => {
    out.to("/agent", rooms.staffFor(conversation), "conversation", presentConversation(conversation));
    out.to("/widget", [rooms.contact(conversation.contact_id)], "conversation", presentConversation(conversation, "contact"));
  };
  ctx.bus.on("conversation.created", conversationChanged);
  ctx.bus.on("conversation.updated", conversationChanged);
  ctx.bus.on("conversation.status_changed", conversationChanged);
  ctx.bus.on("conversation.handoff", ({ conversation, reason }) => {
    out.to("/agent", rooms.staffFor(conversation), "handoff", { conversation: presentConversation(conversation), reason });
    out.to("/widget", [rooms.contact(conversation.contact_id)], "handoff", { conversationId: conversation.id });
  });
  // The customer's rating of a resolved conversation, live in the console.
  ctx.bus.on("csat.created", ({ conversation, rating, comment }) => {
    out.to("/agent", rooms.staffFor(conversation), "csat", {
      conversationId: conversation.id,
      csat: { rating, comment, createdAt: new Date().toISOString() },
    });
  });
  ctx.bus.on("agent.access_changed", ({ agentId, sessionTokenHashes }) => {
    out.disconnect("/agent", sessionTokenHashes ? sessionTokenHashes.map(rooms.agentSession) : [rooms.agent(agentId)]);
  });
  ctx.bus.on("agent.presence_changed", ({ agentId, availability }) => {
    out.to("/agent", [rooms.admins, rooms.agent(agentId)], "presence", { agentId, availability });
  });
  // A channel reply's delivery status (queued, sent, failed) for the agents watching.
  ctx.bus.on("message.updated", ({ conversation, message }) => {
    out.to("/agent", rooms.staffFor(conversation), "message:updated", { message: presentMessage(message, "agent", { trace: false }) });
  });
  ctx.bus.on("message.streaming", ({ conversation, streamId, delta, done, reset }) => {
    const e = { conversationId: conversation.id, streamId, delta, done, ...(reset ? { reset: true } : {}) };
    out.to("/widget", [rooms.contact(conversation.contact_id)], "message:stream", e);
    out.to("/agent", rooms.staffFor(conversation), "message:stream", e);
  });
}
