import { describe, expect, it } from "vitest";
import { foldHan, hanScript } from "./hanFold.ts";
import { porter2, stemWord } from "./stemmer.ts";
import { charNgrams, normalize, tokenize, zhNumeral } from "./text.ts";

describe("English tokens", () => {
  it("joins irregular verb forms with their base", () => {
    expect(tokenize("stole")).toEqual(tokenize("stolen"));
    expect(tokenize("stolen")).toEqual(tokenize("steal"));
    expect(tokenize("forgot")).toEqual(tokenize("forgotten"));
    expect(tokenize("paid")).toEqual(tokenize("pays"));
    expect(stemWord("frozen")).toBe(stemWord("freezing"));
  });

  it("stems with Porter2", () => {
    for (const [w, s] of [
      ["cards", "card"],
      ["transferred", "transfer"],
      ["accounts", "account"],
      ["charges", "charg"],
      ["generously", "generous"],
      ["knackeries", "knackeri"],
      ["hopping", "hop"],
      ["happy", "happi"],
    ]) expect(porter2(w!)).toBe(s);
  });

  it("drops stop words, chat contractions included, and spells out abbreviations", () => {
    expect(tokenize("why cant I see my acct balance")).toEqual(["see", "account", "balanc"]);
    expect(tokenize("how many pts per yr")).toEqual(tokenize("how many points per year"));
    // A question word with "is" run on is a stop word too, however the apostrophe is typed.
    for (const q of ["whats the fee", "what's the fee", "what’s the fee", "hows the fee"]) expect(tokenize(q)).toEqual(["fee"]);
  });

  it("writes amounts one way", () => {
    expect(tokenize("10k")).toEqual(["10000"]);
    expect(tokenize("¥10,000")).toEqual(["10000"]);
    expect(tokenize("1.5k")).toEqual(["1500"]);
    expect(normalize("每天最多转5万")).toContain("50000");
  });
});

describe("Chinese tokens", () => {
  it("indexes characters and bigrams, without function characters alone", () => {
    expect(tokenize("银行卡丢了")).toEqual(["银", "银行", "行", "行卡", "卡", "卡丢", "丢", "丢了"]);
  });

  it("reads numerals before a unit as the digits articles use, and leaves words built on them", () => {
    expect(normalize("那五年的呢")).toBe("那5年的呢");
    expect(normalize("分二十四期")).toBe("分24期");
    expect(normalize("两万块")).toBe("20000块");
    expect(normalize("三个工作日")).toBe("3个工作日");
    expect(normalize("二〇二六年")).toBe("2026年");
    expect(normalize("一百元")).toBe("100元");
    expect(normalize("一千二百元")).toBe("1200元");
    for (const word of ["一定要", "十一假期", "一类户", "千万不要"]) expect(normalize(word)).toBe(word);
    expect(tokenize("五年期利率")).toEqual(tokenize("5年期利率"));
    expect([zhNumeral("三十八"), zhNumeral("一千二百"), zhNumeral("两万五千"), zhNumeral("十"), zhNumeral("二〇二六")]).toEqual([38, 1200, 25000, 10, 2026]);
    // As amounts are spoken (explain_transaction); the index reads the written forms only.
    expect([zhNumeral("一千二", { spoken: true }), zhNumeral("两万五", { spoken: true }), zhNumeral("一百二", { spoken: true })]).toEqual([
      1200, 25000, 120,
    ]);
    expect([zhNumeral("一百零二", { spoken: true }), zhNumeral("十五", { spoken: true }), zhNumeral("一千二")]).toEqual([102, 15, 1002]);
  });

  it("folds traditional characters so zh-TW and zh-CN text match", () => {
    expect(foldHan("帳戶遺失 錢包被偷")).toBe("帐户遗失 钱包被偷");
    expect(tokenize("卡片遺失")).toEqual(tokenize("卡片遗失"));
    expect(charNgrams("網路銀行")).toEqual(charNgrams("网路银行"));
  });

  it("tells the script of a question", () => {
    expect(hanScript("錢包被偷 裡面有金融卡 怎麼辦")).toBe("traditional");
    expect(hanScript("钱包被偷了 卡也在里面")).toBe("simplified");
    expect(hanScript("卡")).toBeUndefined();
    expect(hanScript("lost card")).toBeUndefined();
  });
});
