import { describe, expect, it } from "vitest";
import { LexicalIndex } from "./LexicalIndex.ts";
import { tokenize } from "./text.ts";

const docs = [
  { id: "a", heading: tokenize("Lost or stolen card"), tokens: tokenize("Freeze the card in the app, then order a replacement card.") },
  { id: "b", heading: tokenize("Transfer limits"), tokens: tokenize("The daily transfer limit is 50,000 in the app; a card payment limit also applies.") },
  { id: "c", heading: tokenize("Branch hours"), tokens: tokenize("Branches open 9:00 to 17:00 on working days.") },
];

describe("LexicalIndex", () => {
  it("ranks by BM25 and filters", () => {
    const idx = new LexicalIndex(docs);
    expect(idx.search(tokenize("transfer limit"), 5).map((h) => docs[h.index]!.id)[0]).toBe("b");
    expect(idx.search(tokenize("transfer limit"), 5, (i) => docs[i]!.id !== "b").every((h) => docs[h.index]!.id !== "b")).toBe(true);
    expect(idx.search(tokenize("app"), 1)).toHaveLength(1);
    expect(idx.search(tokenize("nothing matches this"), 5)).toEqual([]);
  });

  it("weights headings (BM25F) and query terms", () => {
    const plain = new LexicalIndex(docs);
    const fielded = new LexicalIndex(docs, { headingWeight: 2 });
    // "card" is in a's heading and in both bodies: the heading weight widens a's lead.
    const lead = (idx: LexicalIndex) => {
      const [first, second] = idx.search(tokenize("card"), 5);
      return first!.score / second!.score;
    };
    expect(docs[fielded.search(tokenize("card"), 1)[0]!.index]!.id).toBe("a");
    expect(lead(fielded)).toBeGreaterThan(lead(plain));
    const half = plain.search(new Map([["branch", 0.5]]), 1)[0]!.score;
    const full = plain.search(new Map([["branch", 1]]), 1)[0]!.score;
    expect(half).toBeCloseTo(full / 2);
  });

  it("finds indexed words one typo away from an unknown word", () => {
    const idx = new LexicalIndex(docs);
    // Query tokens are stemmed first, like indexed ones.
    expect(idx.nearTerms(tokenize("freze")[0]!)).toContain(tokenize("freeze")[0]);
    expect(idx.nearTerms(tokenize("tranfser")[0]!)).toContain("transfer");
    expect(idx.nearTerms("transfer")).toEqual([]); // known word
    expect(idx.nearTerms("zzzzzz")).toEqual([]);
  });
});
