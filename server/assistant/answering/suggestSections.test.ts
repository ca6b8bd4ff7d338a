import { describe, expect, it } from "vitest";
import { MAX_SUGGESTIONS, pickedSuggestion, sectionLabel, suggestSections } from "./suggestSections.ts";
import type { RankedPassage } from "./rankPassages.ts";

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
