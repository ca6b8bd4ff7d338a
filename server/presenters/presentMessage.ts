import type { MessageRow } from "../models/conversations.ts";
import type { Message, MessageAttributes } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

export type Audience = "agent" | "contact";

/**
 * The only way a message becomes JSON. Customers never see private notes (callers
 * filter them out; this refuses as a second line) nor the assistant's trace.
 * `trace: false` leaves the trace out for agents too: live events carry what the
 * console shows, and the trace (about 0.7 kB a bot reply, sent to every agent's
 * socket) stays one request away in the conversation's messages.
 */
export function presentMessage(m: MessageRow, audience: Audience, opts: { trace?: boolean } = {}): Presented<Message> {
  if (audience === "contact" && m.private) throw new Error("a private note must never be presented to a contact");
  const key = `${audience}:${opts.trace !== false}`;
  const known = presented.get(m)?.get(key);
  if (known) return known;
  const shown = Object.freeze(format(m, audience, opts));
  (presented.get(m) ?? presented.set(m, new Map()).get(m)!).set(key, shown);
  return shown;
}

/**
 * Each row is formatted once per audience: a customer's message is presented for
 * the acknowledgement and again by the fan-out to the customer's own room
 * (services/realtime/fanOutToSockets.ts), the same row both times. Rows are never
 * changed once read (a change is a new row from the database), and the result is
 * frozen, since everyone who presents the row shares it.
 */
const presented = new WeakMap<MessageRow, Map<string, Presented<Message>>>();

/**
 * A new message's live event, for the agents (without the trace) and, unless it is a
 * private note, the customer: formatted once, as the two differ only in the agents
 * seeing who sent it.
 */
export function presentLiveMessage(m: MessageRow): { agent: Presented<Message>; contact?: Presented<Message> } {
  if (m.private) return { agent: presentMessage(m, "agent", { trace: false }) };
  const contact = presentMessage(m, "contact");
  return { contact, agent: Object.freeze({ ...contact, sender: { ...contact.sender, id: m.sender_id } }) };
}

function format(m: MessageRow, audience: Audience, opts: { trace?: boolean }): Presented<Message> {
  // The stored attributes are what the commands wrote: the wire type names the keys clients read.
  const attrs = (m.content_attributes ?? {}) as MessageAttributes;
  const { trace, ...publicAttrs } = attrs;
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    type: m.message_type,
    private: m.private,
    // An agent's name as the customer was shown it (display name or first name), never their e-mail.
    sender: {
      type: m.sender_type,
      id: audience === "agent" ? m.sender_id : null,
      name: m.sender_type === "agent" ? (m.sender_name ?? null) : null,
    },
    content: m.content,
    attributes: audience === "agent" && opts.trace !== false ? { ...publicAttrs, ...(trace ? { trace } : {}) } : publicAttrs,
    attachments: m.attachments,
    clientId: m.client_id,
    createdAt: m.created_at,
  };
}
