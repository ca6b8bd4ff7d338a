import { z } from "zod";
import { stepUpSettingsSchema } from "../stepup/stepUpPolicy.ts";
import type { InboxSettings } from "../models/inboxes.ts";
import { PRE_CHAT_FIELDS } from "../../shared/wire/index.ts";
import { complaintsSettingSchema } from "../cases/jurisdictions.ts";

/** Whether `zone` is an IANA time zone this runtime knows (e.g. "Asia/Shanghai", "UTC"). */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 08:30");

/** One weekday's opening hours; "24:00" closes at midnight. */
export const dayHoursSchema = z
  .object({ open: hhmm, close: z.union([hhmm, z.literal("24:00")]) })
  .strict()
  .refine((d) => d.open < d.close, { message: "Closing time must be after opening time", path: ["close"] });

const WEEKDAYS = ["0", "1", "2", "3", "4", "5", "6"] as const;

/** Per weekday (0 = Sunday); a missing day is closed. */
export const workingHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, dayHoursSchema.optional()])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodOptional<typeof dayHoursSchema>
    >,
  )
  .strict();

/** "https://www.bank.example" — a scheme, host and optional port, nothing else. */
const origin = z
  .string()
  .max(200)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === v;
    } catch {
      return false;
    }
  }, "Use an origin such as https://www.bank.example (no path or trailing slash)");

export const timeZoneSchema = z.string().refine(isIanaTimeZone, "Not an IANA time zone (for example Asia/Shanghai or Europe/London)");

/**
 * The inbox settings an admin may set. Strict: an unknown key is a mistake, not
 * something to store. Every field is optional; `null` on update clears working hours.
 */
export const inboxSettingsSchema = z
  .object({
    greeting: z.string().trim().max(500, "Keep the greeting under 500 characters").optional(),
    timezone: timeZoneSchema.optional(),
    workingHours: workingHoursSchema.optional(),
    csatEnabled: z.boolean().optional(),
    npsEnabled: z.boolean().optional(),
    requireVerification: z.boolean().optional(),
    preChatFields: z
      .array(z.enum(["name", "email"]))
      .max(2)
      .optional(),
    preChatForm: z
      .object({
        enabled: z.boolean(),
        fields: z
          .array(z.object({ name: z.enum(PRE_CHAT_FIELDS), required: z.boolean() }).strict())
          .max(PRE_CHAT_FIELDS.length)
          .refine((f) => new Set(f.map((x) => x.name)).size === f.length, "Each field once"),
      })
      .strict()
      .optional(),
    botEnabled: z.boolean().optional(),
    allowedOrigins: z.array(origin).max(20, "At most 20 origins").optional(),
    stepUp: stepUpSettingsSchema.optional(),
    /** The complaint rules of this inbox's cases (cases/jurisdictions.ts); mainland China when unset. */
    complaints: complaintsSettingSchema.optional(),
    /** Where conversations of customers recorded as vulnerable go (contacts/vulnerability.ts); the default team when unset. */
    vulnerableCustomersTeamId: z.string().uuid().nullable().optional(),
  })
  .strict() satisfies z.ZodType<InboxSettings>;

export type InboxSettingsInput = z.infer<typeof inboxSettingsSchema>;

/**
 * The same checks on settings as stored: keys other features keep in an inbox's
 * settings (channel configuration...) are carried along untouched.
 */
export const storedInboxSettingsSchema = inboxSettingsSchema.loose();
