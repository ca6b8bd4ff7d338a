import { z } from "zod";
import { addBusinessDays, addCalendarDays, CALENDARS, type CalendarId } from "./businessCalendar.ts";

/**
 * The complaint-handling rules of each jurisdiction, chosen per inbox (inbox setting
 * `complaints.jurisdiction`), and the deadlines they give a case. Each limit says
 * whether it counts calendar days or business days, as its rule does; business days
 * use the jurisdiction's calendar (businessCalendar.ts). A limit of N days runs from
 * the day after receipt and ends at the end of the Nth day in the inbox's time zone.
 */
export const JURISDICTIONS = ["cn", "uk", "us", "custom"] as const;
export type JurisdictionId = (typeof JURISDICTIONS)[number];

const limitSchema = z
  .object({
    // Messages an admin reads next to the field in Admin → Inboxes.
    days: z.number("A number of days").int("A whole number of days").min(1, "At least 1 day").max(365, "At most 365 days"),
    unit: z.enum(["business", "calendar"]),
  })
  .strict();
export type Limit = z.infer<typeof limitSchema>;

export const policySchema = z
  .object({
    calendar: z.enum(CALENDARS),
    timezone: z.string().min(1).max(64),
    /** First contact owed to the customer (acknowledgement or response); null when the rule sets none. */
    acknowledge: limitSchema.nullable(),
    /** The final response. */
    finalResponse: limitSchema,
    /** Each extension's new total limit (from receipt), in order; every one needs a recorded approval. */
    extensions: z.array(limitSchema).max(3, "At most 3 extensions"),
    /** Where the numbers come from, shown to agents. */
    rule: z.string().max(500, "Keep the description under 500 characters"),
  })
  .strict();
export type JurisdictionPolicy = z.infer<typeof policySchema>;

export const PRESETS: Record<Exclude<JurisdictionId, "custom">, JurisdictionPolicy> = {
  /**
   * Mainland China — 《银行业保险业消费投诉处理管理办法》(CBIRC Order 2020 No. 3), Art. 21,
   * enforced since May 2023 by the National Financial Regulatory Administration (NFRA,
   * 国家金融监督管理总局), which replaced the CBIRC; the order keeps its number, so the
   * citation names both:
   * a decision within 15 days of receipt; a complex case may be extended to 30 days; an
   * especially complex one, with the approval of the head office's senior management
   * and notice to the customer, by another 30. The Measures count these as working
   * days (工作日), so statutory holidays do not count and the State Council's make-up
   * working days (调休) do; this is also what our published promise says ("within 15
   * working days"). The acknowledgement within 1 working day is the bank's own
   * published standard (knowledge/complaints), not the regulator's.
   */
  cn: {
    calendar: "cn",
    timezone: "Asia/Shanghai",
    acknowledge: { days: 1, unit: "business" },
    finalResponse: { days: 15, unit: "business" },
    extensions: [
      { days: 30, unit: "business" },
      { days: 60, unit: "business" },
    ],
    rule: "NFRA (CBIRC Order 2020 No. 3), Art. 21: 15 working days, extendable to 30, then by 30 more with senior approval",
  },
  /**
   * UK — FCA DISP 1.6.2R: a final response (or a letter explaining the delay and the
   * customer's right to go to the Financial Ombudsman Service) within 8 weeks of
   * receipt: calendar weeks, 56 days, with no extension. DISP 1.5: a complaint resolved
   * by the close of the third business day after receipt may be closed with a summary
   * resolution communication instead; business days per the FCA Glossary exclude
   * weekends and England & Wales bank holidays. That 3-business-day window is the
   * acknowledgement clock here: a case not resolved within it goes on to the 8 weeks.
   */
  uk: {
    calendar: "uk",
    timezone: "Europe/London",
    acknowledge: { days: 3, unit: "business" },
    finalResponse: { days: 56, unit: "calendar" },
    extensions: [],
    rule: "FCA DISP 1.6.2R: final response within 8 weeks; DISP 1.5: summary resolution by the 3rd business day",
  },
  /**
   * US — CFPB complaint process (12 U.S.C. 5534; the CFPB's company portal rules): the
   * company responds within 15 calendar days of receiving the complaint and, when it
   * answers "in progress", closes it with a final response within 60 calendar days.
   * Calendar days, no extension.
   */
  us: {
    calendar: "us",
    timezone: "America/New_York",
    acknowledge: { days: 15, unit: "calendar" },
    finalResponse: { days: 60, unit: "calendar" },
    extensions: [],
    rule: "CFPB (12 U.S.C. 5534): respond within 15 calendar days, close within 60",
  },
};

/** The inbox setting: a jurisdiction, or `custom` with its own policy. */
export const complaintsSettingSchema = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS),
    custom: policySchema.omit({ timezone: true }).optional(),
    /** E-mail inboxes: mail sent to this address (To, Cc or the relay's Delivered-To) opens a complaint case (openEmailComplaint.ts). */
    address: z.string().trim().email("An e-mail address such as complaints@bank.example").max(254).optional(),
  })
  .strict()
  .refine((s) => s.jurisdiction !== "custom" || s.custom, { message: "A custom jurisdiction needs its policy", path: ["custom"] });
export type ComplaintsSetting = z.infer<typeof complaintsSettingSchema>;

/**
 * The policy a new case in an inbox runs: its jurisdiction (mainland China when the
 * inbox has none: the demo bank's), in the inbox's time zone when it has one.
 */
export function policyFor(
  setting: ComplaintsSetting | undefined,
  inboxTimezone: string | undefined,
): { id: JurisdictionId; policy: JurisdictionPolicy } {
  const id = setting?.jurisdiction ?? "cn";
  const base = id === "custom" ? { ...setting!.custom!, timezone: PRESETS.cn.timezone } : PRESETS[id];
  return { id, policy: { ...base, timezone: inboxTimezone ?? base.timezone } };
}

/** The calendar date an instant falls on in a time zone ("2026-02-10"). */
export function localDate(at: Date, timezone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * The last day a case's final response is due, in its jurisdiction's time zone, as
 * the customer and staff read it: due_at is the instant after that day ends.
 */
export function finalResponseDate(c: { due_at: Date; policy: { timezone: string } }): string {
  return localDate(new Date(c.due_at.getTime() - 1), c.policy.timezone);
}

/** The instant a calendar date starts in a time zone (its local midnight). */
export function startOfLocalDay(date: string, timezone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that moment, then once more at the corrected instant (a DST change the same day).
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) guess = utcMidnight - offsetMs(new Date(guess), timezone);
  return new Date(guess);
}

function offsetMs(at: Date, timezone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The last day of a limit, counted from the day after `receivedDate`. */
export function dueDate(policy: JurisdictionPolicy, receivedDate: string, limit: Limit): string {
  return limit.unit === "business"
    ? addBusinessDays(policy.calendar as CalendarId, receivedDate, limit.days)
    : addCalendarDays(receivedDate, limit.days);
}

/** The instant a limit runs out: the end of its last day in the policy's time zone. */
export function dueAt(policy: JurisdictionPolicy, receivedAt: Date, limit: Limit): { date: string; at: Date } {
  const date = dueDate(policy, localDate(receivedAt, policy.timezone), limit);
  return { date, at: startOfLocalDay(addCalendarDays(date, 1), policy.timezone) };
}

/** A case's deadlines at receipt and after `extensions` extensions. */
export function caseDeadlines(
  policy: JurisdictionPolicy,
  receivedAt: Date,
  extensions = 0,
): { acknowledgeDueAt: Date | null; dueAt: Date; dueDate: string } {
  const limit = extensions === 0 ? policy.finalResponse : policy.extensions[extensions - 1];
  if (!limit) throw new Error(`This policy allows ${policy.extensions.length} extension(s)`);
  const final = dueAt(policy, receivedAt, limit);
  return {
    acknowledgeDueAt: policy.acknowledge ? dueAt(policy, receivedAt, policy.acknowledge).at : null,
    dueAt: final.at,
    dueDate: final.date,
  };
}

/** Share of a clock's time used at `now` (0 at receipt, 1 at the deadline). */
export function timeUsed(receivedAt: Date, due: Date, now: Date): number {
  const total = due.getTime() - receivedAt.getTime();
  return total <= 0 ? 1 : (now.getTime() - receivedAt.getTime()) / total;
}

/** Alert when this share of the time is used (issue #17: 80 %). */
export const NEAR_BREACH_SHARE = 0.8;

declare module "../models/inboxes.ts" {
  interface InboxSettings {
    /** Complaint cases' jurisdiction: cn, uk, us, or custom with its own limits. */
    complaints?: ComplaintsSetting;
  }
}
