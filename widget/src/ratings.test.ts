import { describe, expect, it } from "vitest";
import type { ChatItem } from "./chat.ts";
import { resolvedSeqOf, surveyMode, type SurveyFacts } from "./ratings.ts";

const facts = (over: Partial<SurveyFacts> = {}): SurveyFacts => ({
  conversationId: "conv-1",
  resolved: true,
  enabled: true,
  thanked: false,
  answeredAt: undefined,
  resolvedSeq: 10,
  maxSeq: 12,
  sending: false,
  failed: false,
  ...over,
});

function resolvedLine(seq: number): ChatItem {
  return {
    key: `m:${seq}`,
    seq,
    type: "activity",
    sender: "system",
    content: "",
    attributes: { kind: "status", status: "resolved" },
    attachments: [],
    createdAt: "",
  };
}

describe("the rating and the recommendation question", () => {
  it("are asked once a conversation is resolved, when the inbox asks them", () => {
    expect(surveyMode(facts())).toBe("ask");
    expect(surveyMode(facts({ resolved: false }))).toBe("none");
    expect(surveyMode(facts({ enabled: false }))).toBe("none");
    expect(surveyMode(facts({ conversationId: undefined }))).toBe("none");
  });

  it("are asked once per resolution: answered or skipped, not again until it is resolved again", () => {
    expect(surveyMode(facts({ answeredAt: 12 }))).toBe("none");
    // Answered at the first resolution (seq 5); reopened and resolved again at seq 10.
    expect(surveyMode(facts({ answeredAt: 5 }))).toBe("ask");
    // No resolution line on screen (history not loaded): the highest seq stands for it.
    expect(surveyMode(facts({ resolvedSeq: 0, answeredAt: 12 }))).toBe("none");
  });

  it("say thanks on this page after an answer, and show a send on its way or refused", () => {
    expect(surveyMode(facts({ thanked: true, answeredAt: 12 }))).toBe("thanks");
    expect(surveyMode(facts({ sending: true }))).toBe("sending");
    expect(surveyMode(facts({ failed: true }))).toBe("error");
  });

  it("take the latest resolution on screen", () => {
    expect(resolvedSeqOf([resolvedLine(4), resolvedLine(9)])).toBe(9);
    expect(resolvedSeqOf([])).toBe(0);
  });
});
