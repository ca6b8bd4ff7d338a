import { describe, expect, it } from "vitest";
import { expandQuery } from "./queryExpansion.ts";
import { tokenize } from "./text.ts";

describe("expandQuery", () => {
  it("relates slang to the words articles use, at the given weight", () => {
    const e = expandQuery("someone nicked my purse on the bus", 0.3);
    expect(e.get(tokenize("stolen")[0]!)).toBe(0.3);
    expect(e.get(tokenize("lost")[0]!)).toBe(0.3);
    expect(e.get(tokenize("wallet")[0]!)).toBe(0.3);
    // The question's own tokens are not repeated.
    expect(e.has(tokenize("nicked")[0]!)).toBe(false);
  });

  it("expands Chinese by word, traditional script included", () => {
    for (const q of ["钱包被偷了", "錢包被偷了"]) {
      const e = expandQuery(q, 0.3);
      expect(e.has("被盗")).toBe(true);
      expect(e.has("挂失")).toBe(true);
      // Same language only: no English words for a Chinese question.
      expect(e.has(tokenize("stolen")[0]!)).toBe(false);
    }
  });

  it("matches phrases but adds no generic words", () => {
    const e = expandQuery("is my money safe if the bank goes bust", 0.3);
    expect(e.has("insur")).toBe(true);
    expect(e.has("go")).toBe(false);
    expect(e.has("bank")).toBe(false);
  });

  it("leaves unrelated questions alone", () => {
    expect(expandQuery("qwerty zxcv", 0.3).size).toBe(0);
    expect(expandQuery("stolen card", 0).size).toBe(0);
  });
});
