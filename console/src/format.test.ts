import { describe, expect, it } from "vitest";
import { sectionOf, sourceLabel } from "./format.ts";

describe("where a passage comes from", () => {
  it("says the article's title once", () => {
    expect(sourceLabel("Lost or stolen card", "Lost or stolen card › Freezing your card")).toBe("Lost or stolen card › Freezing your card");
    expect(sourceLabel("Lost or stolen card", "Lost or stolen card")).toBe("Lost or stolen card");
    expect(sectionOf("Lost or stolen card", "Lost or stolen card › Freezing your card › In the app")).toBe(
      "Freezing your card › In the app",
    );
    expect(sectionOf("Lost or stolen card", "Lost or stolen card")).toBe("");
  });

  it("keeps a heading that does not start with the title, and copes with either missing", () => {
    expect(sourceLabel("Fees", "Card fees")).toBe("Fees › Card fees");
    expect(sourceLabel(null, "Card fees")).toBe("Card fees");
    expect(sourceLabel("Fees", null)).toBe("Fees");
    // A title that is only a prefix of the first heading word is not cut.
    expect(sectionOf("Card", "Cards › Limits")).toBe("Cards › Limits");
  });
});
