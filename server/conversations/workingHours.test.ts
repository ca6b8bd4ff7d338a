import { describe, expect, it } from "vitest";
import { isWithinHours, serviceHours } from "./workingHours.ts";
import { wordHours } from "../../shared/serviceHours.ts";

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
    expect(serviceHours(settings)).toEqual({ open: "09:00", close: "17:00", daily: false, timeZone: "Asia/Shanghai" });
    expect(serviceHours({})).toBeUndefined();
  });
  it("words the hours in the customer's language", () => {
    const hours = serviceHours(settings)!;
    expect(wordHours(hours, "en")).toBe("09:00–17:00 (Asia/Shanghai)");
    expect(wordHours(hours, "zh")).toBe("09:00–17:00（Asia/Shanghai）");
    const everyDay = Object.fromEntries(["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, { open: "08:00", close: "22:00" }]));
    const daily = serviceHours({ timezone: "Asia/Shanghai", workingHours: everyDay })!;
    expect(wordHours(daily, "en")).toBe("08:00–22:00 daily (Asia/Shanghai)");
    expect(wordHours(daily, "zh-Hant")).toBe("每天08:00–22:00（Asia/Shanghai）");
  });
});
