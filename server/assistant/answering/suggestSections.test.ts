import { describe, expect, it } from "vitest";
import { MAX_SUGGESTIONS, pickedSuggestion, plausiblyRelated, sectionLabel, suggestSections } from "./suggestSections.ts";
import type { PassageFeatures, RankedPassage } from "./rankPassages.ts";

const passage = (path: string, heading: string, ordinal: number): RankedPassage =>
  ({ path, title: heading.split(" › ")[0]!, heading, passageId: `${path}#${ordinal}` }) as RankedPassage;

const ATM = "fees/atm-fees.md";
const ranked = [
  passage(ATM, "ATM withdrawal fees and limits › Saving on ATM fees", 4),
  passage(ATM, "ATM withdrawal fees and limits › Saving on ATM fees", 5),
  passage(ATM, "ATM withdrawal fees and limits › What each withdrawal costs", 1),
  passage("fees/fee-schedule.md", "Fee schedule", 0),
  passage("cards/debit-card.md", "Bayview UnionPay Debit card › Card limits", 3),
];

describe("sections offered after a decline", () => {
  it("offers the best candidates' sections, each once, by the article's title and the section's own heading", () => {
    const offered = suggestSections(ranked);
    expect(offered).toHaveLength(MAX_SUGGESTIONS);
    expect(offered.map((s) => s.label)).toEqual([
      "ATM withdrawal fees and limits: Saving on ATM fees",
      "ATM withdrawal fees and limits: What each withdrawal costs",
      "Fee schedule",
    ]);
    expect(offered[1]).toMatchObject({ passageId: `${ATM}#1`, path: ATM });
  });

  it("offers at most two sections of one article, so that another article is on offer", () => {
    const sameArticle = [
      passage(ATM, "ATM withdrawal fees and limits › Saving on ATM fees", 4),
      passage(ATM, "ATM withdrawal fees and limits › Daily and overseas limits", 3),
      passage(ATM, "ATM withdrawal fees and limits › What each withdrawal costs", 1),
      passage("fees/fee-schedule.md", "Fee schedule › Cards", 2),
    ];
    expect(suggestSections(sameArticle).map((s) => s.label)).toEqual([
      "ATM withdrawal fees and limits: Saving on ATM fees",
      "ATM withdrawal fees and limits: Daily and overseas limits",
      "Fee schedule: Cards",
    ]);
  });

  it("drops the closest sections not related to the question, without reaching further down for others", () => {
    const offered = suggestSections(ranked, (p) => p.path !== ATM);
    expect(offered.map((s) => s.label)).toEqual(["Fee schedule"]);
  });

  it("names a sub-section by its own heading, and cuts a long label at a word", () => {
    expect(sectionLabel({ title: "Lost or stolen card", heading: "Lost or stolen card › Step 2 › Replacement fee" })).toBe(
      "Lost or stolen card: Replacement fee",
    );
    const long = sectionLabel({
      title: "Transfer methods, arrival times and limits",
      heading: "Transfer methods, arrival times and limits › When will the money arrive at another bank on a public holiday",
    });
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^Transfer methods, arrival times and limits: When will the money arrive.*…$/);
    expect(long).not.toMatch(/\s…$/);
  });

  it("reads a tap (the label sent back), the label typed, or the option's number; anything else is a new question", () => {
    const offered = suggestSections(ranked);
    expect(pickedSuggestion("ATM withdrawal fees and limits: What each withdrawal costs", offered)).toBe(offered[1]);
    expect(pickedSuggestion("  atm withdrawal fees and limits:  what each withdrawal costs ", offered)).toBe(offered[1]);
    expect(pickedSuggestion("3", offered)).toBe(offered[2]);
    expect(pickedSuggestion("第2个", offered)).toBe(offered[1]);
    expect(pickedSuggestion("４", offered)).toBeNull();
    expect(pickedSuggestion("what does a replacement card cost", offered)).toBeNull();
    expect(pickedSuggestion("2 cards lost", offered)).toBeNull();
  });
});

describe("which sections are plausibly about the question", () => {
  const candidate = (f: Partial<PassageFeatures>, missingFromArticle: number) => ({
    features: { passage: 0, question: 0, ...f } as PassageFeatures,
    missingFromArticle,
  });

  it("offers none of an article that lacks a term holding half the question's weight, however close its sample questions", () => {
    // "can i buy bitcoin through you" and "Buying and redeeming wealth products: Buying": only "buy" in common.
    expect(plausiblyRelated(candidate({ passage: 0.21, question: 0.38 }, 0.52))).toBe(false);
    expect(plausiblyRelated(candidate({ passage: 0.48, question: 0 }, 0.52))).toBe(false);
  });

  it("offers one whose sample question is close, or that carries more of the question than its article lacks", () => {
    // "whats the number to call you from overseas? im in thailand" and "How to contact us: Contact channels at a glance".
    expect(plausiblyRelated(candidate({ passage: 0.17, question: 0.52 }, 0.45))).toBe(true);
    // "is there a fee for receiving money sent to me from abroad" and "Sending money abroad: Fees and timing".
    expect(plausiblyRelated(candidate({ passage: 1, question: 0.2 }, 0))).toBe(true);
    expect(plausiblyRelated(candidate({ passage: 0.2, question: 0.1 }, 0.3))).toBe(false);
  });
});
