import { describe, expect, it } from "vitest";
import { describeCriteria } from "./segmentText.ts";

describe("a segment in words", () => {
  it("names each condition, negated ones too, in the form's order", () => {
    expect(describeCriteria({ openComplaint: true, vulnerable: true })).toBe("vulnerable · complaint running");
    expect(describeCriteria({ npsDetractor: false, channels: ["wechat", "web"], labels: ["vip"] })).toBe(
      "not an NPS detractor · wrote on WeChat or website · labelled vip",
    );
    expect(describeCriteria({})).toBe("everyone");
  });
});
