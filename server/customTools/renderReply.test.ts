import { describe, expect, it } from "vitest";
import { renderReply, TemplateFieldMissing, valueAt } from "./renderReply.ts";

describe("renderReply", () => {
  const data = { status: "in_transit", delivery: { eta: "2026-12-09", carrier: "SF Express" }, items: [{ n: 2 }], ok: true };

  it("fills dotted paths, array indexes, numbers and booleans", () => {
    expect(renderReply("Your card is {{status}}, with {{ delivery.carrier }} by {{delivery.eta}} ({{items.0.n}}, {{ok}})", data)).toBe(
      "Your card is in_transit, with SF Express by 2026-12-09 (2, true)",
    );
    expect(renderReply("您的卡片状态：{{status}}，预计 {{delivery.eta}} 送达", data)).toBe(
      "您的卡片状态：in_transit，预计 2026-12-09 送达",
    );
  });

  it("prints a value that looks like a placeholder as text, never rendering it again", () => {
    expect(renderReply("{{a}}", { a: "{{b}}", b: "secret" })).toBe("{{b}}");
  });

  it("refuses a missing, null or object value instead of leaving a blank", () => {
    expect(() => renderReply("{{delivery.missing}}", data)).toThrow(TemplateFieldMissing);
    expect(() => renderReply("{{delivery}}", data)).toThrow(TemplateFieldMissing);
    expect(() => renderReply("{{x}}", { x: null })).toThrow(TemplateFieldMissing);
  });

  it("reads own fields only (no prototype walking)", () => {
    expect(valueAt({}, "constructor")).toBeUndefined();
    expect(valueAt({ a: {} }, "a.__proto__")).toBeUndefined();
    expect(() => renderReply("{{toString}}", {})).toThrow(TemplateFieldMissing);
  });

  it("shortens an overlong value", () => {
    expect(renderReply("{{a}}", { a: "x".repeat(600) })).toHaveLength(501);
  });
});
