import { describe, expect, it } from "vitest";
import { extractFeatures, matchConcepts, normalizeText, stem } from "./features.ts";

describe("normalizeText", () => {
  it("folds case, full-width forms, traditional characters and contractions", () => {
    expect(normalizeText("ＣＡＮ'Ｔ Log In")).toBe("can not login");
    expect(normalizeText("網銀登入不了")).toBe("网上银行登入不了");
    expect(normalizeText("I'm sure it's fine")).toBe("i am sure it is fine");
  });

  it("expands chat abbreviations and Chinese colloquialisms", () => {
    expect(normalizeText("pls check my acct bal thx")).toBe("please check my account balance thanks");
    expect(normalizeText("卡丢了咋办")).toBe("卡丢了怎么办");
    expect(normalizeText("helloooo")).toBe("hi");
  });
});

describe("stem", () => {
  it("joins common inflections", () => {
    expect(stem("declined")).toBe(stem("decline"));
    expect(stem("declining")).toBe(stem("decline"));
    expect(stem("transferred")).toBe(stem("transfer"));
    expect(stem("charges")).toBe(stem("charge"));
    expect(stem("applies")).toBe(stem("apply"));
  });
});

describe("concepts", () => {
  it("maps English and Chinese wording to the same concept", () => {
    expect(matchConcepts(normalizeText("please freeze my card"))).toContain("freeze");
    expect(matchConcepts(normalizeText("帮我冻结银行卡"))).toContain("freeze");
  });

  it("prefers the longest Chinese term, so 解锁 is unlock and not lock", () => {
    const c = matchConcepts(normalizeText("帮我解锁"));
    expect(c).toContain("unfreeze");
    expect(c).not.toContain("freeze");
  });

  it("reads 多少钱 as a price asked, and only 还有多少钱 as a balance", () => {
    expect(matchConcepts(normalizeText("保管箱一年租金多少钱"))).not.toContain("balance");
    expect(matchConcepts(normalizeText("我卡里还有多少钱"))).toContain("balance");
  });

  it("matches inflected English phrases", () => {
    expect(matchConcepts(normalizeText("my card got declined"))).toContain("decline");
    expect(matchConcepts(normalizeText("I can't find my card"))).toContain("lose");
  });
});

describe("extractFeatures", () => {
  it("produces word, character and concept features for English", () => {
    const f = extractFeatures(normalizeText("Lost my card"));
    expect(f.has("wlost")).toBe(true);
    expect(f.has("bmy_card")).toBe(true);
    expect(f.has("c car")).toBe(true);
    expect(f.has("@lose")).toBe(true);
  });

  it("produces character n-grams for Chinese without segmentation", () => {
    const f = extractFeatures(normalizeText("信用卡还款"));
    expect(f.has("z信")).toBe(true);
    expect(f.has("y还款")).toBe(true);
    expect(f.has("k信用卡")).toBe(true);
    expect(f.has("@repay")).toBe(true);
  });

  it("shares most character n-grams between a word and its typo", () => {
    const a = [...extractFeatures("transfer").keys()].filter((k) => k.startsWith("c"));
    const b = new Set([...extractFeatures("tranfser").keys()].filter((k) => k.startsWith("c")));
    expect(a.filter((k) => b.has(k)).length / a.length).toBeGreaterThan(0.3);
  });
});
