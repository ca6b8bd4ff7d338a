import { describe, expect, it } from "vitest";
import { describeHours, isWithinHours } from "./workingHours.ts";

const settings = { timezone: "Asia/Shanghai", workingHours: { "1": { open: "09:00", close: "17:00" } } };

describe("working hours", () => {
  it("uses the inbox's time zone", () => {
    // Monday 2026-11-23 02:00 UTC is 10:00 in Shanghai.
    expect(isWithinHours(settings, new Date("2026-11-23T02:00:00Z"))).toBe(true);
    expect(isWithinHours(settings, new Date("2026-11-23T10:00:00Z"))).toBe(false);
    // Tuesday has no hours: closed.
    expect(isWithinHours(settings, new Date("2026-11-24T02:00:00Z"))).toBe(false);
  });
  it("is always open without hours, and describes hours", () => {
    expect(isWithinHours({})).toBe(true);
    expect(describeHours(settings)).toBe("09:00–17:00 (Asia/Shanghai)");
  });
});
