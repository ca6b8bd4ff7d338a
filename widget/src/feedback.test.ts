import { describe, expect, it } from "vitest";
import type { ChatItem } from "./chat.ts";
import { canRate, feedbackState } from "./feedback.ts";

const answer: ChatItem = {
  key: "m:a1",
  id: "a1",
  seq: 2,
  type: "outgoing",
  sender: "bot",
  content: "Open the app, go to Cards and tap Freeze.",
  attributes: { citations: [{ path: "cards/lost-card.md", title: "Lost or stolen card" }], declined: false },
  attachments: [],
  createdAt: "2026-12-06T10:00:00Z",
};

describe("which answers get 👍 / 👎", () => {
  it("the assistant's stored answers from the knowledge base", () => {
    expect(canRate(answer)).toBe(true);
  });

  it("not a handoff, a decline, the greeting, small talk, a streaming draft or a person's reply", () => {
    const not: ChatItem[] = [
      { ...answer, attributes: { citations: [], kind: "handoff" } },
      { ...answer, attributes: { ...answer.attributes, kind: "handoff" } },
      { ...answer, attributes: { citations: [], declined: true } },
      { ...answer, key: "greeting", id: undefined, attributes: {} },
      { ...answer, attributes: { quickReplies: [{ label: "Talk to a person" }] } },
      { ...answer, key: "s:x", id: undefined, streaming: true },
      { ...answer, sender: "agent" },
      { ...answer, type: "incoming", sender: "contact" },
    ];
    for (const item of not) expect(canRate(item), JSON.stringify(item)).toBe(false);
  });
});

describe("what the buttons show", () => {
  it("the stored verdict, then a click on its way, then thanks once saved", () => {
    expect(feedbackState(answer)).toEqual({ rating: null, sending: false, failed: false, justRated: false });
    expect(feedbackState(answer, { rating: "not_helpful", status: "sending" })).toMatchObject({ rating: "not_helpful", sending: true });
    const stored = {
      ...answer,
      attributes: {
        ...answer.attributes,
        feedback: { rating: "not_helpful" as const, via: "button" as const, updatedAt: "2026-12-01T10:00:00Z" },
      },
    };
    expect(feedbackState(stored, { rating: "not_helpful", status: "saved" })).toEqual({
      rating: "not_helpful",
      sending: false,
      failed: false,
      justRated: true,
    });
  });

  it("after a refused click, the stored verdict stays pressed and the failure is said", () => {
    const stored = {
      ...answer,
      attributes: {
        ...answer.attributes,
        feedback: { rating: "helpful" as const, via: "button" as const, updatedAt: "2026-12-01T10:00:00Z" },
      },
    };
    expect(feedbackState(stored, { rating: "not_helpful", status: "failed" })).toEqual({
      rating: "helpful",
      sending: false,
      failed: true,
      justRated: false,
    });
  });
});
