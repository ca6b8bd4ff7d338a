import { describe, expect, it } from "vitest";
import { SpellCorrector } from "./spelling.ts";

const speller = new SpellCorrector(
  "my card was stolen what is my balance how do i unfreeze my card transfer limit receive money hold the card lost card find a branch"
    .split(" ")
    .concat(["card", "card", "balance"]),
);

describe("SpellCorrector", () => {
  it("fixes swapped letters, a missing letter and an extra letter", () => {
    expect(speller.correct("crad")).toBe("card");
    expect(speller.correct("balnace")).toBe("balance");
    expect(speller.correct("stolne")).toBe("stolen");
    expect(speller.correct("unfreze")).toBe("unfreeze");
    expect(speller.correct("transfeer")).toBe("transfer");
    expect(speller.correct("recieve")).toBe("receive");
  });

  it("leaves known words, short words and numbers alone", () => {
    expect(speller.correct("card")).toBeUndefined();
    expect(speller.correct("crd")).toBeUndefined();
    expect(speller.correct("1234")).toBeUndefined();
  });

  it("does not turn other real words into vocabulary words", () => {
    // One letter away from "lost", "hold" and "find", but not typos of them.
    expect(speller.correct("most")).toBeUndefined();
    expect(speller.correct("sold")).toBeUndefined();
    expect(speller.correct("kind")).toBeUndefined();
  });
});
