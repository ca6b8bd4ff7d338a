import { describe, expect, it } from "vitest";
import { productMatch, productsOf } from "./productMatch.ts";

describe("productMatch", () => {
  it("tells the products a question names apart, in English and Chinese", () => {
    expect(productsOf("can I increase my credit card limit")).toEqual(new Set(["credit_card"]));
    expect(productsOf("信用卡年费怎么收")).toEqual(new Set(["credit_card"]));
    expect(productsOf("my mortgage payment bounced")).toEqual(new Set(["mortgage"]));
    expect(productsOf("零存整取漏存了怎么办")).toEqual(new Set(["monthly_saving"]));
    expect(productsOf("how long does an international transfer take")).toEqual(new Set());
  });

  it("is the share of the asked products the passage names, 1 when none is asked", () => {
    const transferLimits = productsOf("Daily transfer limits: ¥50,000 a day in the app; raise it at a branch.");
    expect(productMatch(productsOf("can I increase my credit card limit"), transferLimits)).toBe(0);
    expect(productMatch(productsOf("credit card annual fee"), productsOf("Classic credit card: annual fee ¥100"))).toBe(1);
    expect(productMatch(productsOf("how do I send money abroad"), transferLimits)).toBe(1);
  });
});
