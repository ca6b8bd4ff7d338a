import { describe, expect, it } from "vitest";
import { npsBand, npsFigures, npsOf, parseNpsReply } from "./npsScore.ts";

describe("NPS maths", () => {
  it("bands answers as detractors (0–6), passives (7–8) and promoters (9–10)", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsBand)).toEqual(["detractor", "detractor", "passive", "passive", "promoter", "promoter"]);
    expect(() => npsBand(11)).toThrow(RangeError);
    expect(() => npsBand(7.5)).toThrow(RangeError);
  });

  it("is the share of promoters minus the share of detractors, in points", () => {
    // 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = 30.
    expect(npsOf([10, 9, 9, 10, 9, 8, 7, 7, 3, 0])).toEqual({ responses: 10, promoters: 5, passives: 3, detractors: 2, score: 30 });
    expect(npsOf([0, 1, 2]).score).toBe(-100);
    expect(npsOf([9, 10]).score).toBe(100);
    expect(npsOf([8, 7]).score).toBe(0);
    // 1 of 3 promoters, none detractors: 33.3.
    expect(npsOf([9, 7, 8]).score).toBe(33.3);
  });

  it("has no score without answers", () => {
    expect(npsFigures({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      responses: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      score: null,
    });
  });
});

describe("parseNpsReply", () => {
  it("reads a number from 0 to 10 at the start, and the rest as the reason", () => {
    expect(parseNpsReply("9")).toEqual({ score: 9, comment: null });
    expect(parseNpsReply("  10 - quick and kind")).toEqual({ score: 10, comment: "quick and kind" });
    expect(parseNpsReply("7/10. Slow to answer")).toEqual({ score: 7, comment: "Slow to answer" });
    expect(parseNpsReply("0\nNobody called me back")).toEqual({ score: 0, comment: "Nobody called me back" });
    expect(parseNpsReply("８分，很好")).toEqual({ score: 8, comment: "很好" });
  });

  it("leaves out the quoted e-mail it answers", () => {
    expect(parseNpsReply("6, too many forms\n\nOn Mon, 1 Dec 2026 BankDesk wrote:\n> How likely...")).toEqual({
      score: 6,
      comment: "too many forms",
    });
  });

  it("is not an answer when the number is part of a sentence or out of range", () => {
    expect(parseNpsReply("2 cards were charged twice")).toBeUndefined();
    expect(parseNpsReply("11")).toBeUndefined();
    expect(parseNpsReply("100")).toBeUndefined();
    expect(parseNpsReply("-1")).toBeUndefined();
    expect(parseNpsReply("thanks")).toBeUndefined();
    expect(parseNpsReply("   \n  ")).toBeUndefined();
  });
});
