import { describe, expect, it } from "vitest";
import { authorizeRating, isRateableAnswer } from "./answerFeedbackPolicy.ts";

const answer = {
  sender_type: "bot" as const,
  message_type: "outgoing" as const,
  private: false,
  content_attributes: { citations: [{ path: "cards/lost-card.md", heading: "Freeze the card" }], declined: false },
};

describe("answer feedback policy", () => {
  it("lets customers rate the assistant's answers from the knowledge base", () => {
    expect(isRateableAnswer(answer)).toBe(true);
    expect(authorizeRating(answer)).toBe(answer);
  });

  it("refuses messages that are no such answer", () => {
    const not = [
      { ...answer, sender_type: "agent" as const },
      { ...answer, sender_type: "contact" as const, message_type: "incoming" as const },
      { ...answer, private: true },
      { ...answer, content_attributes: { citations: [], declined: true } },
      { ...answer, content_attributes: { citations: [], kind: "handoff", reason: "explicit_request" } },
      // A greeting or small talk: no citations at all.
      { ...answer, content_attributes: { quickReplies: [] } },
      { ...answer, content_attributes: { ...answer.content_attributes, kind: "handoff" } },
    ];
    for (const m of not) {
      expect(isRateableAnswer(m), JSON.stringify(m)).toBe(false);
      expect(() => authorizeRating(m)).toThrow(/Only the assistant's answers/);
    }
  });

  it("says not found for a message it was not given (another conversation's)", () => {
    expect(() => authorizeRating(undefined)).toThrow(/Message not found/);
  });
});
