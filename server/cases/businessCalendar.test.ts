import { describe, expect, it } from "vitest";
import { addBusinessDays, businessDaysBetween, CalendarCoverageError, isBusinessDay, calendarYear } from "./businessCalendar.ts";
import { caseDeadlines, localDate, PRESETS, startOfLocalDay, timeUsed } from "./jurisdictions.ts";

describe("mainland China's 2026 calendar (State Council notice, with 调休)", () => {
  it("counts the make-up Saturdays as working days and the Spring Festival as holidays", () => {
    expect(isBusinessDay("cn", "2026-02-14")).toBe(true); // Saturday, make-up working day
    expect(isBusinessDay("cn", "2026-02-28")).toBe(true); // Saturday, make-up working day
    expect(isBusinessDay("cn", "2026-02-16")).toBe(false); // Monday in the Spring Festival
    expect(isBusinessDay("cn", "2026-02-21")).toBe(false); // an ordinary Saturday inside the holiday
    expect(isBusinessDay("cn", "2026-01-04")).toBe(true); // Sunday worked for New Year
    expect(isBusinessDay("cn", "2026-10-10")).toBe(true); // Saturday worked for National Day
    expect(isBusinessDay("cn", "2026-03-07")).toBe(false); // ordinary Saturday
  });

  it("runs 15 working days across the Spring Festival and its two make-up Saturdays", () => {
    // Received Tue 10 Feb: 11, 12, 13, Sat 14 (make-up), [15–23 off], 24, 25, 26, 27, Sat 28 (make-up), 2–6, 9 March.
    expect(addBusinessDays("cn", "2026-02-10", 15)).toBe("2026-03-09");
    expect(businessDaysBetween("cn", "2026-02-10", "2026-03-09")).toBe(15);
    // Without the make-up days it would have been 11 March.
  });

  it("runs across National Day (1–7 Oct) with Sunday 20 Sep and Saturday 10 Oct worked", () => {
    // Received Fri 18 Sep: Sun 20 (make-up) is day 1; 21–25 → 6; [25 Sep–7 Oct off except 28–30]; ...
    expect(isBusinessDay("cn", "2026-09-20")).toBe(true);
    expect(isBusinessDay("cn", "2026-09-25")).toBe(false); // Mid-Autumn
    expect(addBusinessDays("cn", "2026-09-18", 5)).toBe("2026-09-24");
    // 28, 29, 30 Sep are days 6–8; 8, 9 Oct 9–10; Sat 10 Oct 11; 12–15 Oct 12–15.
    expect(addBusinessDays("cn", "2026-09-18", 15)).toBe("2026-10-15");
  });

  it("refuses a year whose notice it does not have, rather than guess", () => {
    expect(() => addBusinessDays("cn", "2026-12-20", 15)).toThrow(CalendarCoverageError);
    expect(() => isBusinessDay("cn", "2027-01-04")).toThrow(/covers 2025, 2026 only/);
    expect(calendarYear("cn", 2026).workdays).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
  });
});

describe("England & Wales bank holidays and US federal holidays", () => {
  it("skips Christmas, Boxing Day and its substitute Monday in 2026", () => {
    // Wed 23 Dec 2026: 24 (1), [25 Fri, 26 Sat, 27 Sun, 28 Mon substitute off], 29 (2), 30 (3).
    expect(isBusinessDay("uk", "2026-12-28")).toBe(false);
    expect(addBusinessDays("uk", "2026-12-23", 3)).toBe("2026-12-30");
    // Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr.
    expect(addBusinessDays("uk", "2026-04-02", 1)).toBe("2026-04-07");
  });

  it("skips observed federal holidays (Friday 3 July 2026 for Independence Day)", () => {
    expect(isBusinessDay("us", "2026-07-03")).toBe(false);
    expect(isBusinessDay("us", "2026-11-26")).toBe(false); // Thanksgiving
    expect(addBusinessDays("us", "2026-07-02", 1)).toBe("2026-07-06");
    expect(() => isBusinessDay("us", "2031-07-04")).toThrow(CalendarCoverageError);
  });
});

describe("jurisdiction deadlines", () => {
  it("China: 15 working days to the end of the day in Shanghai, extended to 30 then 60", () => {
    const received = new Date("2026-02-10T03:00:00Z"); // 11:00 in Shanghai
    const d = caseDeadlines(PRESETS.cn, received);
    expect(d.dueDate).toBe("2026-03-09");
    expect(d.dueAt.toISOString()).toBe("2026-03-09T16:00:00.000Z"); // midnight 10 March, Shanghai
    expect(d.acknowledgeDueAt!.toISOString()).toBe("2026-02-11T16:00:00.000Z");
    expect(caseDeadlines(PRESETS.cn, received, 1).dueDate).toBe("2026-03-30");
    expect(() => caseDeadlines(PRESETS.cn, received, 3)).toThrow(/2 extension/);
  });

  it("China: names the NFRA as the regulator (the CBIRC was replaced in 2023), citing the order by its number", () => {
    expect(PRESETS.cn.rule).toMatch(/^NFRA \(CBIRC Order 2020 No\. 3\), Art\. 21:/);
  });

  it("UK: 8 calendar weeks for the final response, 3 business days for a summary resolution", () => {
    const received = new Date("2026-12-23T10:00:00Z");
    const d = caseDeadlines(PRESETS.uk, received);
    expect(d.dueDate).toBe("2027-02-17");
    expect(d.acknowledgeDueAt!.toISOString()).toBe("2026-12-31T00:00:00.000Z"); // end of Wed 30 Dec, London (GMT)
  });

  it("US: 15 and 60 calendar days in New York, holidays or not", () => {
    const received = new Date("2026-07-01T15:00:00Z");
    const d = caseDeadlines(PRESETS.us, received);
    expect(d.dueDate).toBe("2026-08-30");
    expect(d.acknowledgeDueAt!.toISOString()).toBe("2026-07-17T04:00:00.000Z"); // end of 16 July, EDT
  });

  it("turns local dates into instants across a DST change", () => {
    expect(localDate(new Date("2026-03-08T04:59:00Z"), "America/New_York")).toBe("2026-03-07");
    expect(startOfLocalDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfLocalDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(timeUsed(new Date(0), new Date(1000), new Date(800))).toBeCloseTo(0.8);
  });
});
