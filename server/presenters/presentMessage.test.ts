import { describe, expect, it } from "vitest";
import type { MessageRow } from "../models/conversations.ts";
import { presentLiveMessage, presentMessage } from "./presentMessage.ts";

const botReply: MessageRow = {
  id: "m1",
  conversation_id: "c1",
  seq: 2,
  message_type: "outgoing",
  private: false,
  sender_type: "bot",
  sender_id: null,
  content: "You can freeze your card in the app.",
  content_attributes: { citations: [{ path: "cards/lost-card.md" }], trace: [{ step: "retrieve" }] },
  attachments: [],
  client_id: "bot:m0",
  created_at: new Date("2026-11-24T10:00:00Z"),
};

describe("presentMessage", () => {
  it("gives agents the assistant's trace, and never customers", () => {
    expect(presentMessage(botReply, "agent").attributes).toEqual({
      citations: [{ path: "cards/lost-card.md" }],
      trace: [{ step: "retrieve" }],
    });
    expect(presentMessage(botReply, "contact").attributes).toEqual({ citations: [{ path: "cards/lost-card.md" }] });
  });

  it("leaves the trace out of agents' live events when asked", () => {
    expect(presentMessage(botReply, "agent", { trace: false }).attributes).toEqual({ citations: [{ path: "cards/lost-card.md" }] });
    expect(presentMessage(botReply, "agent", { trace: false }).sender).toEqual({ type: "bot", id: null, name: null });
  });

  it("names an agent's message with the name the customer was shown, and shows customers no agent id", () => {
    const reply = { ...botReply, sender_type: "agent" as const, sender_id: "a-1", sender_name: "Li" };
    expect(presentMessage(reply, "contact").sender).toEqual({ type: "agent", id: null, name: "Li" });
    expect(presentMessage(reply, "agent").sender).toEqual({ type: "agent", id: "a-1", name: "Li" });
  });

  it("refuses to present a private note to a customer", () => {
    expect(() => presentMessage({ ...botReply, private: true }, "contact")).toThrow(/private note/);
  });

  it("formats a row once per audience: the acknowledgement and the live event share it, frozen", () => {
    const question: MessageRow = {
      ...botReply,
      id: "m2",
      message_type: "incoming",
      sender_type: "contact",
      sender_id: "k-1",
      content_attributes: {},
    };
    const ack = presentMessage(question, "contact");
    expect(presentMessage(question, "contact")).toBe(ack);
    expect(Object.isFrozen(ack)).toBe(true);
    const live = presentLiveMessage(question);
    expect(live.contact).toBe(ack);
    // The agents' view, derived from the customer's, is what presenting it for agents without the trace gives.
    expect(live.agent).toEqual(presentMessage({ ...question }, "agent", { trace: false }));
    expect(live.agent.sender.id).toBe("k-1");
  });

  it("gives a private note's live event to agents only", () => {
    const note = { ...botReply, id: "m3", private: true, sender_type: "agent" as const, sender_id: "a-1" };
    const live = presentLiveMessage(note);
    expect(live.contact).toBeUndefined();
    expect(live.agent).toEqual(presentMessage({ ...note }, "agent", { trace: false }));
  });
});
