import type { MessageRow } from "../conversations/types.ts";

export type Audience = "agent" | "contact";

/**
 * The only way a message becomes JSON. Customers never see private notes (callers
 * filter them out; this refuses as a second line) nor the assistant's trace.
 */
export function presentMessage(m: MessageRow, audience: Audience) {
  if (audience === "contact" && m.private) throw new Error("a private note must never be presented to a contact");
  const attrs = m.content_attributes ?? {};
  const { trace, ...publicAttrs } = attrs as Record<string, unknown>;
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    type: m.message_type,
    private: m.private,
    sender: { type: m.sender_type, id: audience === "agent" ? m.sender_id : null },
    content: m.content,
    attributes: audience === "agent" ? { ...publicAttrs, ...(trace ? { trace } : {}) } : publicAttrs,
    attachments: m.attachments,
    clientId: m.client_id,
    createdAt: m.created_at,
  };
}

export type PresentedMessage = ReturnType<typeof presentMessage>;
