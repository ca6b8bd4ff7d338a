import { describe, expect, it } from "vitest";
import { stepUpPolicy, stepUpSettingsSchema } from "./stepUpPolicy.ts";
import { TOOL_NAMES, TOOL_RISK } from "../assistant/tools/accountTools.ts";

describe("step-up policy", () => {
  it("needs only the page identity when an inbox has no step-up settings (as before step-up)", () => {
    expect(stepUpPolicy(undefined)).toEqual({
      requires: { low: "identity", medium: "identity", high: "identity" },
      channel: null,
      smsInbox: null,
      validMs: 600_000,
    });
  });

  it("reads an inbox's settings", () => {
    const p = stepUpPolicy({ medium: "code", high: "code", channel: "sms", smsInbox: "sms-otp", validMinutes: 5 });
    expect(p).toEqual({
      requires: { low: "identity", medium: "code", high: "code" },
      channel: "sms",
      smsInbox: "sms-otp",
      validMs: 300_000,
    });
  });

  it("refuses settings that make no sense: a lower level needing more, codes with nowhere to go, SMS without its inbox", () => {
    const bad = (v: unknown) => stepUpSettingsSchema.safeParse(v).error?.issues.map((i) => i.path.join("."));
    expect(bad({ medium: "code", channel: "email" })).toEqual(["high"]);
    expect(bad({ low: "code", high: "code", channel: "email" })).toEqual(["medium"]);
    expect(bad({ high: "code" })).toEqual(["channel"]);
    expect(bad({ high: "code", channel: "sms" })).toEqual(["smsInbox"]);
    expect(bad({ high: "code", channel: "sms", smsInbox: "SMS inbox!" })).toEqual(["smsInbox"]);
    expect(bad({ high: "code", channel: "email", validMinutes: 61 })).toEqual(["validMinutes"]);
    expect(bad({ high: "sometimes", channel: "email" })).toEqual(["high"]);
    expect(bad({ high: "code", channel: "email", extra: 1 })).toEqual([""]);
    expect(bad({ high: "code", channel: "email", validMinutes: 10 })).toBeUndefined();
  });

  it("gives every account tool a risk level, and every tool that changes something is high", () => {
    expect(Object.keys(TOOL_RISK).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of ["freeze_card", "unfreeze_card", "report_card_lost", "make_up_instalment"] as const)
      expect(TOOL_RISK[tool]).toBe("high");
    expect(TOOL_RISK.balance).toBe("low");
    expect(TOOL_RISK.transactions).toBe("medium");
  });
});
