import type { ServiceHours } from "./wire/widgetSession.ts";

/**
 * An inbox's service hours in the customer's language, for the assistant's hand-off and
 * the widget's away card: "08:00–22:00 daily (Asia/Shanghai)", "每天08:00–22:00（Asia/Shanghai）".
 * The wire carries the hours as data (InboxAvailability.hours); worded on the server they
 * stayed English inside Chinese replies. `lang`: English, or Chinese in either script
 * (the same characters here).
 */
export function wordHours(h: ServiceHours, lang: "en" | "zh" | "zh-Hant" | "zh-CN" | "zh-TW"): string {
  const range = `${h.open}–${h.close}`;
  if (lang === "en") return `${h.daily ? `${range} daily` : range}${h.timeZone ? ` (${h.timeZone})` : ""}`;
  return `${h.daily ? `每天${range}` : range}${h.timeZone ? `（${h.timeZone}）` : ""}`;
}
