import type { InboxSettings } from "../models/inboxes.ts";
import type { ServiceHours } from "../../shared/wire/index.ts";

/** Whether `now` falls in the inbox's working hours (in its time zone). No hours set: always open. */
export function isWithinHours(settings: InboxSettings, now = new Date()): boolean {
  if (!settings.workingHours) return true;
  const tz = settings.timezone ?? "UTC";
  const parts = formatterFor(tz).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = String(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"))) as keyof NonNullable<
    InboxSettings["workingHours"]
  >;
  const hours = settings.workingHours[day];
  if (!hours) return false;
  const hm = `${get("hour")}:${get("minute")}`;
  return hm >= hours.open && hm < hours.close;
}

// Found with the load tool (npm run bench:load): building an Intl.DateTimeFormat costs far more
// than using one, and this runs for every customer message, so one is kept per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The inbox's hours as the wire carries them (shared/serviceHours.ts words them for the customer). */
export function serviceHours(settings: InboxSettings): ServiceHours | undefined {
  const days = Object.values(settings.workingHours ?? {});
  if (!days.length) return undefined;
  const first = days[0]!;
  const same = days.every((d) => d && d.open === first.open && d.close === first.close);
  return {
    open: first.open,
    close: first.close,
    daily: same && days.length === 7,
    ...(settings.timezone ? { timeZone: settings.timezone } : {}),
  };
}
