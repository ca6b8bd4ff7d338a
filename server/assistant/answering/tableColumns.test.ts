import { describe, expect, it } from "vitest";
import { keepNamedColumns } from "./tableColumns.ts";
import { joinUnits, units } from "./units.ts";

const CARDS = `|            | Bayview Classic | Bayview Platinum |
| ---------- | --------------- | ---------------- |
| Annual fee | ¥100            | ¥1,000           |
| Lounges    | none            | 6 visits a year  |`;

const LIMITS = `| 交易类型 | 默认限额 | 能否调整 |
| --- | --- | --- |
| 线上支付 | 单笔5,000元 | 可调至每日最高50,000元 |`;

const ZH_CARDS = `| 项目 | 经典卡 | 白金卡 |
| --- | --- | --- |
| 年费 | 100元 | 1,000元 |`;

const quote = (table: string, question: string, lang: "en" | "zh" = "en") => joinUnits(keepNamedColumns(units(table), question), lang);

describe("keepNamedColumns", () => {
  it("keeps the first column and the product a question names, cells as written", () => {
    const text = quote(CARDS, "annual fee on the platinum card?");
    expect(text).toContain("| Annual fee | ¥1,000           |");
    expect(text).not.toContain("¥100 ");
    expect(text).not.toContain("Classic");
    expect(quote(ZH_CARDS, "白金卡年费多少", "zh")).not.toContain("100元 ");
  });

  it("keeps the whole table when the question names both, or none", () => {
    expect(quote(CARDS, "classic or platinum, which has lounges?")).toContain("Classic");
    expect(quote(CARDS, "what does a credit card cost a year")).toContain("Classic");
  });

  it("keeps every column of a table whose columns are different attributes, not alternatives", () => {
    // "限额" names the default-limit column; the answer is in "能否调整".
    expect(quote(LIMITS, "借记卡网上支付限额最高能调到多少", "zh")).toContain("50,000");
  });
});
