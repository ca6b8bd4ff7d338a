import { describe, expect, it } from "vitest";
import { currenciesOf, productMatch, productsOf, subjectOf } from "./productMatch.ts";
import { tokenize } from "../../knowledge/text.ts";

const terms = (text: string) => new Set(tokenize(text));
/** The share for a passage, its article being the passage alone. */
const share = (question: string, passage: string) => productMatch(subjectOf(question), productsOf(passage), terms(passage), terms(passage));

describe("productMatch", () => {
  it("tells the products a question names apart, in English and Chinese", () => {
    expect(productsOf("can I increase my credit card limit")).toEqual(new Set(["credit_card"]));
    expect(productsOf("信用卡年费怎么收")).toEqual(new Set(["credit_card"]));
    expect(productsOf("my mortgage payment bounced")).toEqual(new Set(["mortgage"]));
    expect(productsOf("零存整取漏存了怎么办")).toEqual(new Set(["monthly_saving"]));
    expect(productsOf("how long does an international transfer take")).toEqual(new Set());
  });

  it("is the share of the asked products the passage names, 1 when none is asked", () => {
    const transferLimits = "Daily transfer limits: ¥50,000 a day in the app; raise it at a branch.";
    expect(share("can I increase my credit card limit", transferLimits)).toBe(0);
    expect(share("credit card annual fee", "Classic credit card: annual fee ¥100")).toBe(1);
    expect(share("how do I send money abroad", transferLimits)).toBe(1);
  });

  it("tells the foreign currencies a question names apart, in English and Chinese, simplified or traditional", () => {
    expect(currenciesOf("what interest do you pay on a USD time deposit")).toEqual(new Set(["usd"]));
    expect(currenciesOf("美元定期存款利率多少")).toEqual(new Set(["usd"]));
    expect(currenciesOf("在香港ATM取了2000港幣")).toEqual(new Set(["hkd"]));
    expect(currenciesOf("what's the commission on euros")).toEqual(new Set(["eur"]));
    expect(currenciesOf("what's the fee for a transfer")).toEqual(new Set());
  });

  it("counts a currency the article names anywhere, or the passage names as foreign currencies", () => {
    const yuanRates = "Time deposit rates:\n\n| Term | Annual rate |\n|---|---|\n| 1 year | 1.35% |";
    const rates = subjectOf("what's the rate on a 1 year USD time deposit");
    // The yuan rate table answers for yuan only.
    expect(productMatch(rates, productsOf(yuanRates), terms(yuanRates), terms(yuanRates))).toBe(0.5);
    // A currency named in another section of the article counts: the table may name it once, above.
    const article = `${yuanRates}\nRates for USD deposits are shown in the app.`;
    expect(productMatch(rates, productsOf(yuanRates), terms(article), terms(yuanRates))).toBe(1);
    // "Foreign currencies" counts in the passage that says it, not in another section of its article.
    const insurance = "Deposits in yuan and foreign currencies are protected up to ¥500,000.";
    expect(share("are my usd savings protected", insurance)).toBe(1);
    expect(share("美元存款受存款保险保障吗", "人民币和外币存款均包括在内，最高偿付50万元。")).toBe(1);
    expect(productMatch(rates, productsOf(yuanRates), terms(`${yuanRates}\n${insurance}`), terms(yuanRates))).toBe(0.5);
  });
});
