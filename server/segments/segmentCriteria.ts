import { z } from "zod";
import { SEGMENT_CHANNELS as CHANNELS } from "../../shared/wire/index.ts";

/**
 * What a segment selects, on the customer (the contact) and their history; every
 * condition given must hold. A boolean condition selects either side (`vulnerable:
 * false` is "not flagged"). Kept to what BankDesk records: the vulnerability flag,
 * complaint cases, NPS answers, the page's verification, the channels they wrote on,
 * the labels their conversations carry, and an attribute of theirs.
 */
export const segmentCriteriaSchema = z
  .object({
    /** A vulnerability flag is recorded (contacts/vulnerability.ts). */
    vulnerable: z.boolean().optional(),
    /** A complaint case of theirs is not closed. */
    openComplaint: z.boolean().optional(),
    /** Their latest NPS answer is 0–6 (a detractor). */
    npsDetractor: z.boolean().optional(),
    /** A verified bank customer (the signed page identity). */
    verified: z.boolean().optional(),
    /** They wrote on one of these channels. */
    channels: z.array(z.enum(CHANNELS)).min(1, "Pick at least one channel").max(CHANNELS.length).optional(),
    /** One of their conversations carries one of these labels. */
    labels: z.array(z.string().trim().toLowerCase().min(1).max(50)).min(1, "Give at least one label").max(20).optional(),
    /** An attribute of theirs (contacts.attributes: the page's or the app's) equals a value, case-insensitive: e.g. tier = vip. */
    contactAttribute: z
      .object({
        key: z
          .string()
          .trim()
          .min(1)
          .max(50)
          .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, _ . - only"),
        value: z.string().trim().min(1).max(200),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: "Choose at least one condition" });
export type SegmentCriteria = z.infer<typeof segmentCriteriaSchema>;

/**
 * The criteria as SQL on a contact id (`contactId`, e.g. "c.contact_id"): a condition
 * for a WHERE clause, each value a parameter added through `param` (which returns its
 * placeholder). Every condition is an EXISTS on an indexed column of the contact.
 */
export function segmentCondition(criteria: SegmentCriteria, contactId: string, param: (v: unknown) => string): string {
  const parts: string[] = [];
  const either = (holds: boolean | undefined, exists: string) => {
    if (holds !== undefined) parts.push(`${holds ? "" : "NOT "}EXISTS (${exists})`);
  };
  either(criteria.vulnerable, `SELECT 1 FROM contact_vulnerabilities sv WHERE sv.contact_id = ${contactId}`);
  either(criteria.openComplaint, `SELECT 1 FROM cases sk WHERE sk.contact_id = ${contactId} AND sk.status <> 'closed'`);
  either(
    criteria.npsDetractor,
    `SELECT 1 FROM (SELECT sn.score FROM nps_responses sn WHERE sn.contact_id = ${contactId} AND sn.score IS NOT NULL
       ORDER BY sn.answered_at DESC LIMIT 1) latest WHERE latest.score <= 6`,
  );
  either(criteria.verified, `SELECT 1 FROM contacts sc WHERE sc.id = ${contactId} AND sc.verified`);
  if (criteria.channels)
    parts.push(
      `EXISTS (SELECT 1 FROM conversations sw JOIN inboxes si ON si.id = sw.inbox_id
               WHERE sw.contact_id = ${contactId} AND si.channel = ANY(${param(criteria.channels)}::text[]))`,
    );
  if (criteria.labels)
    parts.push(
      `EXISTS (SELECT 1 FROM conversations sl WHERE sl.contact_id = ${contactId} AND sl.labels && ${param(criteria.labels)}::text[])`,
    );
  if (criteria.contactAttribute)
    // A text, number or boolean attribute read as text (jsonb ->> of an object or array never equals a plain value typed here).
    parts.push(
      `EXISTS (SELECT 1 FROM contacts sa WHERE sa.id = ${contactId}
               AND jsonb_typeof(sa.attributes -> ${param(criteria.contactAttribute.key)}::text) IN ('string', 'number', 'boolean')
               AND lower(sa.attributes ->> ${param(criteria.contactAttribute.key)}::text) = lower(${param(criteria.contactAttribute.value)}::text))`,
    );
  return parts.length ? `(${parts.join(" AND ")})` : "true";
}
