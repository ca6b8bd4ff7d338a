import { CalendarCoverageError, addCalendarDays, calendarYear, type CalendarId } from "../cases/businessCalendar.ts";
import type { InboxSettings } from "../models/inboxes.ts";

type WeekdayKey = "0" | "1" | "2" | "3" | "4" | "5" | "6";
type DayHours = { open: string; close: string };

/**
 * When the SLA clocks run. `hours` null: every day, all day (24/7). `holidays`: a
 * business calendar whose public holidays are closed all day and whose make-up
 * working days (China's 调休 Saturdays) are open, with that weekday's hours or, when
 * the inbox is closed on it, Monday's.
 */
export interface WorkingSchedule {
  timezone: string;
  hours: Partial<Record<WeekdayKey, DayHours>> | null;
  holidays: CalendarId | null;
}

/** The schedule of a policy in an inbox: its working hours when the policy counts business hours and the inbox has them. */
export function scheduleFor(
  settings: InboxSettings,
  policy: { business_hours: boolean; holiday_calendar: CalendarId | null },
): WorkingSchedule {
  const hours = policy.business_hours && settings.workingHours && Object.keys(settings.workingHours).length ? settings.workingHours : null;
  return { timezone: settings.timezone ?? "UTC", hours, holidays: policy.business_hours ? policy.holiday_calendar : null };
}

const ALL_DAY: DayHours = { open: "00:00", close: "24:00" };
/** Two years of closed days (a schedule open one day a week still ends within this). */
const MAX_DAYS = 740;

/**
 * The instant `minutes` of working time after `start`: the time before opening, after
 * closing, on closed days and on holidays does not count. A target met exactly at
 * closing time is due at closing time, not at the next opening.
 *
 * Years a holiday calendar does not cover count as ordinary weeks: the due time is
 * then never later than it would be with the holidays known (a promise the bank keeps).
 */
export function addWorkingMinutes(start: Date, minutes: number, schedule: WorkingSchedule): Date {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new Error(`Minutes of working time must be ≥ 0, not ${minutes}`);
  let left = Math.round(minutes * 60_000);
  if (!schedule.hours && !schedule.holidays) return new Date(start.getTime() + left);
  let date = localDate(start, schedule.timezone);
  for (let i = 0; i < MAX_DAYS; i++, date = addCalendarDays(date, 1)) {
    const hours = hoursOn(date, schedule);
    if (!hours) continue;
    const open = localInstant(date, hours.open, schedule.timezone);
    const close = localInstant(date, hours.close, schedule.timezone);
    const from = Math.max(start.getTime(), open);
    if (from >= close) continue;
    if (left <= close - from) return new Date(from + left);
    left -= close - from;
  }
  throw new Error("The working hours leave no open time within two years: check the inbox's hours and the policy's calendar");
}

/**
 * The working time between two instants, in minutes (what addWorkingMinutes counts):
 * how long a snoozed conversation's clocks were stopped for (sla/slaPauses.ts).
 */
export function workingMinutesBetween(start: Date, end: Date, schedule: WorkingSchedule): number {
  if (end <= start) return 0;
  if (!schedule.hours && !schedule.holidays) return (end.getTime() - start.getTime()) / 60_000;
  let total = 0;
  let date = localDate(start, schedule.timezone);
  const last = localDate(end, schedule.timezone);
  for (let i = 0; i < MAX_DAYS; i++, date = addCalendarDays(date, 1)) {
    const hours = hoursOn(date, schedule);
    if (hours) {
      const from = Math.max(start.getTime(), localInstant(date, hours.open, schedule.timezone));
      const to = Math.min(end.getTime(), localInstant(date, hours.close, schedule.timezone));
      if (to > from) total += to - from;
    }
    if (date === last) break;
  }
  return total / 60_000;
}

function hoursOn(date: string, schedule: WorkingSchedule): DayHours | undefined {
  const weekday = String(new Date(`${date}T00:00:00Z`).getUTCDay()) as WeekdayKey;
  const own = schedule.hours ? schedule.hours[weekday] : ALL_DAY;
  if (!schedule.holidays) return own;
  const year = yearOf(schedule.holidays, Number(date.slice(0, 4)));
  if (!year) return own;
  if (year.holidays.has(date)) return undefined;
  if (year.workdays.has(date)) return own ?? (schedule.hours ? schedule.hours["1"] : ALL_DAY);
  return own;
}

const years = new Map<string, { holidays: Set<string>; workdays: Set<string> } | null>();
function yearOf(calendar: CalendarId, year: number) {
  const key = `${calendar}:${year}`;
  if (!years.has(key)) {
    try {
      const y = calendarYear(calendar, year);
      years.set(key, { holidays: new Set(y.holidays), workdays: new Set(y.workdays) });
    } catch (err) {
      if (!(err instanceof CalendarCoverageError)) throw err;
      years.set(key, null);
    }
  }
  return years.get(key);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(t: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** The calendar date ("2026-02-14") of an instant in a time zone. */
export function localDate(t: Date, timeZone: string): string {
  const p = partsIn(t.getTime(), timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** How far the zone's clock is ahead of UTC at instant `t`, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const p = partsIn(t, timeZone);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(t / 1000) * 1000;
}

/** The instant a wall-clock time ("09:00", "24:00" = the next midnight) occurs on a date in a zone. */
export function localInstant(date: string, hhmm: string, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, mi);
  // Twice: the offset at the first guess may differ from the one at the answer across a clock change.
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}
