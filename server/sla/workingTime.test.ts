import { describe, expect, it } from "vitest";
import { addWorkingMinutes, scheduleFor, workingMinutesBetween, type WorkingSchedule } from "./workingTime.ts";

const weekdays = (open: string, close: string) => Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, { open, close }]));
const shanghai: WorkingSchedule = { timezone: "Asia/Shanghai", hours: weekdays("09:00", "18:00"), holidays: null };
/** A Shanghai wall-clock time as an instant (UTC+8, no daylight saving). */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe("addWorkingMinutes", () => {
  it("counts around the clock when there are no hours", () => {
    const start = sh("2026-03-06T23:30:00");
    expect(iso(addWorkingMinutes(start, 90, { timezone: "Asia/Shanghai", hours: null, holidays: null }))).toBe(
      iso(sh("2026-03-07T01:00:00")),
    );
  });

  it("stays within one working day", () => {
    expect(iso(addWorkingMinutes(sh("2026-03-04T10:15:00"), 60, shanghai))).toBe(iso(sh("2026-03-04T11:15:00")));
  });

  it("waits for opening time when started before it", () => {
    expect(iso(addWorkingMinutes(sh("2026-03-04T07:00:00"), 30, shanghai))).toBe(iso(sh("2026-03-04T09:30:00")));
  });

  it("carries the rest over the night", () => {
    // Wednesday 17:00 + 2 h: one hour on Wednesday, one on Thursday morning.
    expect(iso(addWorkingMinutes(sh("2026-03-04T17:00:00"), 120, shanghai))).toBe(iso(sh("2026-03-05T10:00:00")));
  });

  it("is due at closing time when the time runs out exactly then", () => {
    expect(iso(addWorkingMinutes(sh("2026-03-04T17:00:00"), 60, shanghai))).toBe(iso(sh("2026-03-04T18:00:00")));
    expect(iso(addWorkingMinutes(sh("2026-03-04T18:00:00"), 1, shanghai))).toBe(iso(sh("2026-03-05T09:01:00")));
  });

  it("skips the weekend", () => {
    // Friday 17:00 + 2 h → Monday 10:00; a Saturday start counts from Monday's opening.
    expect(iso(addWorkingMinutes(sh("2026-03-06T17:00:00"), 120, shanghai))).toBe(iso(sh("2026-03-09T10:00:00")));
    expect(iso(addWorkingMinutes(sh("2026-03-07T12:00:00"), 30, shanghai))).toBe(iso(sh("2026-03-09T09:30:00")));
  });

  it("spans several days for a long target", () => {
    // 3 working days of 9 h = 27 h from Thursday 09:00: Thu, Fri, Mon → Monday 18:00.
    expect(iso(addWorkingMinutes(sh("2026-03-05T09:00:00"), 27 * 60, shanghai))).toBe(iso(sh("2026-03-09T18:00:00")));
  });

  it("closes on mainland China's public holidays and opens on its make-up working days", () => {
    const cn = { ...shanghai, holidays: "cn" as const };
    // National Day 2026: 1–7 October closed; Wednesday 30 September 17:00 + 2 h → Thursday 8 October 10:00.
    expect(iso(addWorkingMinutes(sh("2026-09-30T17:00:00"), 120, cn))).toBe(iso(sh("2026-10-08T10:00:00")));
    // Saturday 14 February 2026 is a working day (调休) with Monday's hours; the Spring Festival closes 15–23 February.
    expect(iso(addWorkingMinutes(sh("2026-02-13T17:00:00"), 120, cn))).toBe(iso(sh("2026-02-14T10:00:00")));
    expect(iso(addWorkingMinutes(sh("2026-02-14T17:00:00"), 120, cn))).toBe(iso(sh("2026-02-24T10:00:00")));
    // Without the calendar those are ordinary days.
    expect(iso(addWorkingMinutes(sh("2026-09-30T17:00:00"), 120, shanghai))).toBe(iso(sh("2026-10-01T10:00:00")));
  });

  it("treats a year the calendar does not cover as ordinary weeks (never a later due time)", () => {
    const cn = { ...shanghai, holidays: "cn" as const };
    expect(iso(addWorkingMinutes(sh("2030-10-01T17:00:00"), 120, cn))).toBe(iso(sh("2030-10-02T10:00:00")));
  });

  it("follows the zone's clock change (London, end of March)", () => {
    const london: WorkingSchedule = { timezone: "Europe/London", hours: weekdays("09:00", "17:00"), holidays: null };
    // Friday 27 March 2026 16:00 GMT + 2 h → Monday 30 March 10:00 BST (09:00 UTC).
    expect(iso(addWorkingMinutes(new Date("2026-03-27T16:00:00Z"), 120, london))).toBe("2026-03-30T09:00:00.000Z");
  });

  it("counts a closing time of 24:00 up to midnight", () => {
    const late: WorkingSchedule = {
      timezone: "UTC",
      hours: { "1": { open: "20:00", close: "24:00" }, "2": { open: "08:00", close: "10:00" } },
      holidays: null,
    };
    // Monday 23:00 UTC + 90 min → Tuesday 08:30.
    expect(iso(addWorkingMinutes(new Date("2026-03-02T23:00:00Z"), 90, late))).toBe("2026-03-03T08:30:00.000Z");
  });

  it("counts holidays as closed all day when around the clock", () => {
    const allDayCn: WorkingSchedule = { timezone: "Asia/Shanghai", hours: null, holidays: "cn" };
    expect(iso(addWorkingMinutes(sh("2026-09-30T23:00:00"), 120, allDayCn))).toBe(iso(sh("2026-10-08T01:00:00")));
  });

  it("refuses a schedule with no open time", () => {
    expect(() => addWorkingMinutes(new Date(), 10, { timezone: "UTC", hours: {}, holidays: "uk" })).toThrow(/no open time/);
  });
});

describe("scheduleFor", () => {
  const settings = { timezone: "Asia/Shanghai", workingHours: weekdays("09:00", "18:00") };
  it("uses the inbox's hours and zone for a business-hours policy", () => {
    expect(scheduleFor(settings, { business_hours: true, holiday_calendar: "cn" })).toEqual({
      timezone: "Asia/Shanghai",
      hours: settings.workingHours,
      holidays: "cn",
    });
  });
  it("runs around the clock for a 24/7 policy, or an inbox without hours", () => {
    expect(scheduleFor(settings, { business_hours: false, holiday_calendar: "cn" })).toEqual({
      timezone: "Asia/Shanghai",
      hours: null,
      holidays: null,
    });
    expect(scheduleFor({}, { business_hours: true, holiday_calendar: null })).toEqual({ timezone: "UTC", hours: null, holidays: null });
  });
});

describe("workingMinutesBetween", () => {
  it("counts wall time around the clock", () => {
    const all: WorkingSchedule = { timezone: "UTC", hours: null, holidays: null };
    expect(workingMinutesBetween(new Date("2026-03-04T10:00:00Z"), new Date("2026-03-04T12:30:00Z"), all)).toBe(150);
    expect(workingMinutesBetween(new Date("2026-03-04T12:00:00Z"), new Date("2026-03-04T10:00:00Z"), all)).toBe(0);
  });

  it("counts only the open hours, over nights and weekends", () => {
    // Friday 17:00 to Monday 10:00: one hour on Friday, one on Monday.
    expect(workingMinutesBetween(sh("2026-03-06T17:00:00"), sh("2026-03-09T10:00:00"), shanghai)).toBe(120);
    expect(workingMinutesBetween(sh("2026-03-07T08:00:00"), sh("2026-03-08T20:00:00"), shanghai)).toBe(0);
  });

  it("undoes addWorkingMinutes", () => {
    const start = sh("2026-03-04T16:20:00");
    expect(workingMinutesBetween(start, addWorkingMinutes(start, 600, shanghai), shanghai)).toBe(600);
  });
});
