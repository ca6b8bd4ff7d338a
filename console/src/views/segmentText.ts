import type { SegmentCriteria } from "../types.ts";

const CHANNELS: Record<string, string> = {
  web: "website",
  email: "e-mail",
  sms: "SMS",
  whatsapp: "WhatsApp",
  wechat: "WeChat",
  api: "bank app",
};

/** A segment's criteria in words: "vulnerable · complaint running · wrote on WeChat". */
export function describeCriteria(c: SegmentCriteria): string {
  const parts: string[] = [];
  const flag = (v: boolean | undefined, yes: string, no: string) => v !== undefined && parts.push(v ? yes : no);
  flag(c.vulnerable, "vulnerable", "not flagged vulnerable");
  flag(c.openComplaint, "complaint running", "no complaint running");
  flag(c.npsDetractor, "NPS detractor", "not an NPS detractor");
  flag(c.verified, "verified", "not verified");
  if (c.channels?.length) parts.push(`wrote on ${c.channels.map((x) => CHANNELS[x] ?? x).join(" or ")}`);
  if (c.labels?.length) parts.push(`labelled ${c.labels.join(" or ")}`);
  if (c.contactAttribute) parts.push(`${c.contactAttribute.key} = ${c.contactAttribute.value}`);
  return parts.join(" · ") || "everyone";
}
