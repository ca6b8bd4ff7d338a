import { createRequire } from "node:module";
import type HolidaysType from "date-holidays";
import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };

/**
 * Business calendars for the complaint clocks: which days are working days in a
 * jurisdiction. Dates are plain local calendar dates ("2026-02-14"), the way the
 * rules count them; turning them into instants is the caller's (timezone) concern.
 *
 * - `cn` — mainland China: the State Council's yearly holiday notice, including the
 *   make-up working days (调休, e.g. Saturday 2026-02-14 is a working day) that move
 *   weekend days into the Spring Festival and National Day weeks. Taken from the
 *   `chinese-days` package, which transcribes the notices; a year is covered only
 *   once its notice is published (the 2027 one was not in the package we ship).
 * - `uk` — England & Wales bank holidays (Banking and Financial Dealings Act 1971 and
 *   the yearly proclamations, with substitute days), from `date-holidays` (GB-ENG).
 * - `us` — US federal holidays (5 U.S.C. 6103, with the Friday/Monday observed days),
 *   from `date-holidays` (US, public holidays only).
 *
 * A date outside the covered years is refused with an error naming the calendar and
 * the years it has: guessing next year's 调休 would silently move deadlines.
 */
export const CALENDARS = ["cn", "uk", "us"] as const;
export type CalendarId = (typeof CALENDARS)[number];

/**
 * Years each calendar answers for. China: the notices for 2025 and 2026 (both checked
 * against the package's data). UK and US holidays follow fixed rules, but one-off
 * days are proclaimed (a coronation, a state funeral): we cover the years up to the
 * next one, and widen this when the package is updated.
 */
export const COVERED_YEARS: Record<CalendarId, readonly number[]> = {
  cn: [2025, 2026],
  uk: [2025, 2026, 2027],
  us: [2025, 2026, 2027],
};

export class CalendarCoverageError extends Error {
  constructor(
    public readonly calendar: CalendarId,
    public readonly date: string,
  ) {
    super(
      `The ${calendar} business calendar covers ${COVERED_YEARS[calendar].join(", ")} only; ${date} is outside it. ` +
        `Update the holiday data (npm packages chinese-days / date-holidays) before counting deadlines in that year.`,
    );
    this.name = "CalendarCoverageError";
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface YearDays {
  holidays: Set<string>;
  /** Weekend days that are working days (China's 调休 only). */
  workdays: Set<string>;
}

const cache = new Map<string, YearDays>();

/**
 * date-holidays, loaded with the first UK or US date counted (its rules for every
 * country are about 30 MB that a process counting no complaint clock need not hold);
 * required, because the calendar is read synchronously, and nothing else imports it.
 */
let holidaysClass: typeof HolidaysType | undefined;
function holidays(): typeof HolidaysType {
  return (holidaysClass ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysType);
}

function yearDays(calendar: CalendarId, year: number): YearDays {
  const key = `${calendar}:${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let days: YearDays;
  if (calendar === "cn") {
    const prefix = `${year}-`;
    const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
    days = {
      holidays: new Set(Object.keys(data.holidays).filter((d) => d.startsWith(prefix))),
      workdays: new Set(Object.keys(data.workdays).filter((d) => d.startsWith(prefix))),
    };
  } else {
    const Holidays = holidays();
    const h = calendar === "uk" ? new Holidays("GB", "ENG") : new Holidays("US");
    // `public` are the days the law closes (bank holidays, federal holidays, and their
    // substitute days); observances (Valentine's Day) are not.
    const list = h.getHolidays(year).filter((x) => x.type === "public" || x.type === "bank");
    days = { holidays: new Set(list.map((x) => x.date.slice(0, 10))), workdays: new Set() };
  }
  cache.set(key, days);
  return days;
}

function check(calendar: CalendarId, date: string): number {
  if (!ISO_DATE.test(date)) throw new Error(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const year = Number(date.slice(0, 4));
  if (!COVERED_YEARS[calendar].includes(year)) throw new CalendarCoverageError(calendar, date);
  return year;
}

/** Day of the week of a calendar date, 0 = Sunday (no timezone involved). */
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The calendar date `n` days after `date` (negative: before). */
export function addCalendarDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whether `date` is a working day: not a weekend unless a make-up day, and not a holiday. */
export function isBusinessDay(calendar: CalendarId, date: string): boolean {
  const days = yearDays(calendar, check(calendar, date));
  if (days.workdays.has(date)) return true;
  if (days.holidays.has(date)) return false;
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

/**
 * The `n`th business day after `date` (the day itself is not counted: "within 15
 * working days of receipt" starts the day after, as our published promise says).
 * n = 0 returns `date`.
 */
export function addBusinessDays(calendar: CalendarId, date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`Business days to add must be a whole number ≥ 0, not ${n}`);
  check(calendar, date);
  let d = date;
  let left = n;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isBusinessDay(calendar, d)) left--;
  }
  return d;
}

/** Business days in (from, to]: how many working days have passed from `from` to `to`. */
export function businessDaysBetween(calendar: CalendarId, from: string, to: string): number {
  check(calendar, from);
  check(calendar, to);
  let n = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isBusinessDay(calendar, d)) n++;
  return n;
}

/** The holidays and make-up working days of a covered year (for the console and the README). */
export function calendarYear(calendar: CalendarId, year: number): { holidays: string[]; workdays: string[] } {
  check(calendar, `${year}-01-01`);
  const d = yearDays(calendar, year);
  return { holidays: [...d.holidays].sort(), workdays: [...d.workdays].sort() };
}
