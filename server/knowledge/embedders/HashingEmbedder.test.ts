import { describe, expect, it } from "vitest";
import { HashingEmbedder } from "./HashingEmbedder.ts";

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe("HashingEmbedder", () => {
  const e = new HashingEmbedder();

  it("gives stable unit vectors", async () => {
    const [a, b] = await e.embed(["How do I freeze my card?", "How do I freeze my card?"], "passage");
    expect(a).toEqual(b);
    expect(cos(a!, a!)).toBeCloseTo(1, 5);
    expect(e.id).toBe("hashing-v2-512");
  });

  it("is robust to a typo and to traditional characters", () => {
    const p = e.embedOne("Transfer limits for international transfers");
    expect(cos(e.embedOne("tranfser limit", "query"), p)).toBeGreaterThan(cos(e.embedOne("branch opening hours", "query"), p));
    expect(cos(e.embedOne("卡片遺失"), e.embedOne("卡片遗失"))).toBeCloseTo(1, 5);
  });

  it("relates English and Chinese text about the same banking concept", () => {
    const lost = e.embedOne("My debit card was stolen");
    expect(cos(lost, e.embedOne("银行卡被盗了"))).toBeGreaterThan(cos(lost, e.embedOne("网点营业时间")) + 0.1);
  });
});
