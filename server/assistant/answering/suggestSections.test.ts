import { describe, expect, it } from "vitest";
import { MAX_SUGGESTIONS, pickedSuggestion, sectionLabel, suggestSections } from "./suggestSections.ts";
import type { RankedPassage } from "./rankPassages.ts";

const passage = (path: string, heading: string, ordinal: number, locale = "en", section = ordinal): RankedPassage =>
  ({ path, title: heading.split(" › ")[0]!, heading, passageId: `${path}#${ordinal}`, ordinal, section, locale }) as RankedPassage;

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

  it("offers a section once across an article's translations, in the customer's script where a candidate has it", () => {
    const scams = (locale: string, ordinal: number) =>
      locale === "zh-TW"
        ? passage("digital/phishing-and-scams.zh-TW.md", "如何辨識釣魚與詐騙 › 懷疑受騙怎麼辦", ordinal, locale)
        : passage("digital/phishing-and-scams.zh-CN.md", "识别钓鱼与诈骗 › 怀疑受骗怎么办", ordinal, locale);
    const lost = (locale: string) =>
      locale === "zh-TW"
        ? passage("cards/lost-or-stolen-card.zh-TW.md", "卡片遺失或被竊", 0, locale)
        : passage("cards/lost-or-stolen-card.zh-CN.md", "银行卡丢失或被盗", 0, locale);
    const candidates = [
      passage("cards/lost-or-stolen-card.zh-CN.md", "银行卡丢失或被盗 › 第一步：立即冻结", 1, "zh-CN"),
      scams("zh-TW", 3),
      scams("zh-CN", 3),
      lost("zh-TW"),
      lost("zh-CN"),
      passage("fees/atm-fees.zh-CN.md", "ATM取款手续费与限额 › ATM吞卡或未出钞怎么办", 5, "zh-CN"),
    ];
    expect(suggestSections(candidates, "zh-CN").map((s) => s.label)).toEqual([
      "银行卡丢失或被盗: 第一步：立即冻结",
      "识别钓鱼与诈骗: 怀疑受骗怎么办",
      "银行卡丢失或被盗",
    ]);
    expect(suggestSections(candidates, "zh-TW").map((s) => s.label)).toEqual([
      "银行卡丢失或被盗: 第一步：立即冻结",
      "如何辨識釣魚與詐騙: 懷疑受騙怎麼辦",
      "卡片遺失或被竊",
    ]);
    // A section's translation is known by its place when its heading is worded otherwise (分行 for 网点).
    const hours = [
      passage("branches/branch-hours.zh-CN.md", "网点营业时间 › 网点标准营业时间", 1, "zh-CN"),
      passage("branches/branch-hours.zh-TW.md", "分行營業時間 › 分行標準營業時間", 1, "zh-TW"),
      passage("branches/branch-hours.zh-TW.md", "分行營業時間 › 分行營業時間以外的服務", 2, "zh-TW"),
    ];
    expect(suggestSections(hours, "zh-CN").map((s) => s.label)).toEqual([
      "网点营业时间: 网点标准营业时间",
      "分行營業時間: 分行營業時間以外的服務",
    ]);
    // ...by its section's place, not its passage's: a language whose section is cut into two passages
    // numbers the passages after it one further.
    const cut = [
      passage("cards/debit-card.md", "Debit card › Card limits", 4, "en", 3),
      passage("cards/debit-card.zh-CN.md", "借记卡 › 卡片限额", 3, "zh-CN", 3),
      passage("cards/debit-card.zh-CN.md", "借记卡 › 境外用卡", 4, "zh-CN", 4),
    ];
    expect(suggestSections(cut, "zh-CN").map((s) => s.label)).toEqual(["借记卡: 卡片限额", "借记卡: 境外用卡"]);
    // Two sections of one article, whatever their script: the third offer is another article.
    expect(suggestSections([candidates[0]!, lost("zh-TW"), scams("zh-CN", 3)], "zh-TW").map((s) => s.path)).toEqual([
      "cards/lost-or-stolen-card.zh-CN.md",
      "cards/lost-or-stolen-card.zh-TW.md",
      "digital/phishing-and-scams.zh-CN.md",
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
