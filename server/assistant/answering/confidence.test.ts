import { describe, expect, it } from "vitest";
import { answerDecision, confidenceFeatures, MIN_CONFIDENCE } from "./confidence.ts";
import type { PassageFeatures, RankedPassage } from "./rankPassages.ts";

const features = (f: Partial<PassageFeatures>): PassageFeatures => ({
  search: 1,
  passage: 0.5,
  heading: 0.5,
  kind: 1,
  opening: 0,
  article: 0.8,
  steered: 0,
  unit: 0.8,
  unitKind: 0.8,
  question: 0,
  product: 1,
  ...f,
});

const passage = (
  id: string,
  rank: number,
  f: Partial<PassageFeatures>,
  sampleQuestion: number | null,
  path = "cards/lost.md",
): RankedPassage => ({
  path,
  title: "Lost card",
  heading: `Lost card › ${id}`,
  score: rank,
  text: "A replacement card costs ¥10.",
  locale: "en",
  passageId: id,
  ordinal: 1,
  section: 0,
  sampleQuestion,
  rank,
  features: features({ ...f, question: sampleQuestion ?? 0 }),
  units: [{ text: "A replacement card costs ¥10.", kind: "prose", block: 0 }],
  unitScores: [1],
  best: 0,
  missingFromArticle: 0,
  // No related words in these articles: the decision's coverage is the plain one.
  articleWithRelated: features(f).article,
});

describe("answer confidence", () => {
  it("answers a clear lead whose sample questions match, and declines a toss-up between articles", () => {
    const clear = [passage("a", 2.5, {}, 0.8), passage("b", 1.2, {}, 0.1, "fees/fees.md")];
    const tossUp = [passage("a", 1.5, { unitKind: 0.2, article: 0.4 }, 0.2), passage("b", 1.49, {}, 0.2, "fees/fees.md")];
    const q = "how much is a new card";
    expect(answerDecision(clear, q, "en", false)).toMatchObject({ answer: true });
    expect(answerDecision(tossUp, q, "en", false)).toMatchObject({ answer: false });
    expect(answerDecision(clear, q, "en", false).confidence).toBeGreaterThan(answerDecision(tossUp, q, "en", false).confidence);
    expect(answerDecision([], q, "en", false)).toEqual({ confidence: 0, answer: false });
  });

  it("weighs a section without sample questions by the model fitted without them", () => {
    const q = "how much is a new card";
    const withQuestions = [passage("a", 2, {}, 0), passage("b", 1, {}, 0, "fees/fees.md")];
    const without = [passage("a", 2, {}, null), passage("b", 1, {}, null, "fees/fees.md")];
    // The same evidence, no sample question matching: a section that has some and
    // none of them is close says more against the answer than a section that has none.
    expect(answerDecision(without, q, "en", false).confidence).toBeGreaterThan(answerDecision(withQuestions, q, "en", false).confidence);
    expect(MIN_CONFIDENCE.withoutQuestions.en).toBeGreaterThan(0.5);
  });

  it("reads the lead over other sections' sample questions and the kind of answer of the lead unit", () => {
    const ranked = [passage("a", 2, {}, 0.7), passage("b", 1.8, {}, 0.5), passage("c", 1, {}, 0.9, "fees/fees.md")];
    const f = confidenceFeatures(ranked, "how much is a new card", "en", false)!;
    expect(f.questionLead).toBeCloseTo(0.7 - 0.9);
    expect(f.runnerUpSameArticle).toBe(1);
    expect(f.leadKind).toBe(1);
    expect(f.margin).toBeCloseTo(0.2);
  });
});
