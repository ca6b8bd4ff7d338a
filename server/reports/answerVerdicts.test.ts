import { describe, expect, it } from "vitest";
import { answerFeedbackSummary } from "./answerVerdicts.ts";

describe("answer feedback summary", () => {
  it("adds the days up; the helpful rate is the share of verdicts that were helpful, rejections in words included", () => {
    expect(
      answerFeedbackSummary([
        { helpful: 3, notHelpful: 1, inWords: 0 },
        { helpful: 0, notHelpful: 0, inWords: 0 },
        { helpful: 0, notHelpful: 2, inWords: 2 },
      ]),
    ).toEqual({ helpful: 3, notHelpful: 3, inWords: 2, helpfulRate: 0.5 });
  });

  it("has no rate when nobody gave a verdict", () => {
    expect(answerFeedbackSummary([])).toEqual({ helpful: 0, notHelpful: 0, inWords: 0, helpfulRate: null });
  });
});
