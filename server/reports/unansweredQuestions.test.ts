import { describe, expect, it } from "vitest";
import { passagesOf } from "./unansweredQuestions.ts";

describe("passages of an unhelpful answer", () => {
  it("keeps each citation's article, title and heading, and skips what is not a citation", () => {
    expect(
      passagesOf([
        { path: "cards/lost-card.md", title: "Lost or stolen card", heading: "Freeze the card", url: "/kb/cards/lost-card" },
        { path: "cards/fees.md" },
        "cards/other.md",
        null,
        { title: "no path" },
      ]),
    ).toEqual([
      { path: "cards/lost-card.md", title: "Lost or stolen card", heading: "Freeze the card" },
      { path: "cards/fees.md", title: "", heading: "" },
    ]);
    expect(passagesOf(undefined)).toEqual([]);
    expect(passagesOf({ path: "x" })).toEqual([]);
  });
});
