import { describe, expect, it } from "vitest";
import { matchConditions, type RuleFacts } from "./matchConditions.ts";

const facts = (over: Partial<RuleFacts> = {}, conversation: Partial<RuleFacts["conversation"]> = {}): RuleFacts => ({
  conversation: { inbox_id: "i1", status: "open", priority: "none", labels: ["cards"], sentiment_label: null, ...conversation },
  channel: "web",
  contactAttributes: {},
  vulnerable: false,
  messageText: "My card was swallowed by the ATM",
  withinHours: true,
  segmentIds: [],
  ...over,
});

describe("matchConditions", () => {
  it("matches every conversation without conditions", () => {
    expect(matchConditions({}, facts())).toEqual({ matched: true });
  });

  it("needs every condition given (all-of), and names the first that fails", () => {
    const c = { channels: ["web" as const], sentimentNegative: true, contactAttribute: { key: "tier", value: "VIP" } };
    expect(matchConditions(c, facts({ contactAttributes: { tier: "vip" } }, { sentiment_label: "negative" }))).toEqual({ matched: true });
    expect(matchConditions(c, facts({ contactAttributes: { tier: "vip" } }, { sentiment_label: "neutral" }))).toEqual({
      matched: false,
      failed: "sentimentNegative",
    });
    expect(matchConditions(c, facts({ contactAttributes: { tier: "gold" } }, { sentiment_label: "negative" }))).toEqual({
      matched: false,
      failed: "contactAttribute",
    });
    expect(matchConditions(c, facts({ channel: "email" }, { sentiment_label: "negative" }))).toMatchObject({ failed: "channels" });
  });

  it("a customer in any of the segments named", () => {
    const c = { segmentIds: ["s1", "s2"] };
    expect(matchConditions(c, facts({ segmentIds: ["s2"] })).matched).toBe(true);
    expect(matchConditions(c, facts({ segmentIds: ["s3"] }))).toEqual({ matched: false, failed: "segmentIds" });
    expect(matchConditions(c, facts()).matched).toBe(false);
  });

  it("reads a contact attribute as text, never an object", () => {
    const c = { contactAttribute: { key: "vip", value: "true" } };
    expect(matchConditions(c, facts({ contactAttributes: { vip: true } })).matched).toBe(true);
    expect(matchConditions(c, facts({ contactAttributes: { vip: { toString: () => "true" } } })).matched).toBe(false);
    expect(matchConditions(c, facts()).matched).toBe(false);
  });

  it("any of a list's values; every label listed", () => {
    expect(matchConditions({ priorities: ["high", "urgent"] }, facts({}, { priority: "urgent" })).matched).toBe(true);
    expect(matchConditions({ priorities: ["high", "urgent"] }, facts({}, { priority: "low" })).matched).toBe(false);
    expect(matchConditions({ labels: ["cards"] }, facts()).matched).toBe(true);
    expect(matchConditions({ labels: ["cards", "fraud"] }, facts()).matched).toBe(false);
    expect(matchConditions({ inboxIds: ["i2", "i1"], statuses: ["open"] }, facts()).matched).toBe(true);
  });

  it("keywords in the customer's message, case-insensitively; none without a message", () => {
    expect(matchConditions({ keywords: ["fraud", "atm"] }, facts()).matched).toBe(true);
    expect(matchConditions({ keywords: ["fraud"] }, facts()).matched).toBe(false);
    expect(matchConditions({ keywords: ["atm"] }, facts({ messageText: null })).matched).toBe(false);
  });

  it("the vulnerability flag and business hours either way", () => {
    expect(matchConditions({ vulnerable: true }, facts({ vulnerable: true })).matched).toBe(true);
    expect(matchConditions({ vulnerable: false }, facts({ vulnerable: true })).matched).toBe(false);
    expect(matchConditions({ businessHours: "outside" }, facts({ withinHours: false })).matched).toBe(true);
    expect(matchConditions({ businessHours: "outside" }, facts({ withinHours: true })).matched).toBe(false);
  });
});
