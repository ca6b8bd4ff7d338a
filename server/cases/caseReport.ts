import type { Queryable } from "../db/Database.ts";
import type { CaseBreaches, CaseCount, CaseDuration, CaseReport } from "../../shared/wire/cases.ts";
import { filterParams, segmentClause, type ReportFilter } from "../reports/reportScope.ts";
import { businessDaysBetween, CalendarCoverageError, type CalendarId } from "./businessCalendar.ts";
import { localDate } from "./jurisdictions.ts";
import type { CaseRow } from "./types.ts";

/** A case as the complaints report and its CSV read it: the row with the names it shows. */
export type CaseReportRow = CaseRow & {
  category_code: string | null;
  category_en: string | null;
  category_zh: string | null;
  product_code: string | null;
  product_en: string | null;
  product_zh: string | null;
  inbox_name: string;
  team_name: string | null;
  owner_name: string | null;
  contact_name: string | null;
};

/** The report's limit on cases read at once: a year of a large bank's complaints; beyond it the report refuses rather than truncates. */
export const MAX_REPORT_CASES = 50_000;

/**
 * The cases received in the range (`received_at`, when the clocks start), with the
 * reports' team, inbox and segment filters (a segment: the cases of its customers)
 * and what the reader may see: for an agent, as casePolicy.canReadCase decides (their
 * own, their teams', and unteamed cases).
 */
export async function listReportCases(db: Queryable, f: ReportFilter): Promise<CaseReportRow[]> {
  const params = filterParams(f);
  const segment = segmentClause(f, params);
  const { rows } = await db.query<CaseReportRow>(
    `SELECT c.*, cat.code AS category_code, cat.name_en AS category_en, cat.name_zh AS category_zh,
            prod.code AS product_code, prod.name_en AS product_en, prod.name_zh AS product_zh,
            i.name AS inbox_name, t.name AS team_name, a.name AS owner_name, ct.name AS contact_name
     FROM cases c
     JOIN inboxes i ON i.id = c.inbox_id
     JOIN contacts ct ON ct.id = c.contact_id
     LEFT JOIN teams t ON t.id = c.team_id
     LEFT JOIN agents a ON a.id = c.owner_id
     LEFT JOIN case_taxonomy cat ON cat.id = c.category_id
     LEFT JOIN case_taxonomy prod ON prod.id = c.product_id
     WHERE c.received_at >= $1 AND c.received_at < $2
       AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4)
       AND ($5::uuid[] IS NULL OR c.owner_id = $6::uuid OR c.team_id IS NULL OR c.team_id = ANY($5::uuid[]))${segment}
     ORDER BY c.received_at, c.reference
     LIMIT ${MAX_REPORT_CASES + 1}`,
    params,
  );
  return rows;
}

/**
 * Days from receipt to `at` as the case's clocks count them: from the day after the
 * day of receipt, in the jurisdiction's time zone, working days on its calendar
 * (same day = 0). A year the calendar does not cover counts calendar days, as the
 * clock itself then does (caseClock.ts).
 */
export function daysTaken(c: Pick<CaseRow, "received_at" | "policy">, at: Date): { business: number; calendar: number } {
  const from = localDate(c.received_at, c.policy.timezone);
  const to = localDate(at, c.policy.timezone);
  const calendar = Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
  let business = calendar;
  try {
    business = to > from ? businessDaysBetween(c.policy.calendar as CalendarId, from, to) : 0;
  } catch (err) {
    if (!(err instanceof CalendarCoverageError)) throw err;
  }
  return { business, calendar };
}

/** The acknowledgement clock was missed: acknowledged late, or past due and not yet acknowledged. */
export function acknowledgeBreached(c: Pick<CaseRow, "acknowledge_due_at" | "acknowledged_at">, now: Date): boolean | null {
  if (!c.acknowledge_due_at) return null;
  return c.acknowledged_at ? c.acknowledged_at > c.acknowledge_due_at : c.acknowledge_due_at <= now;
}

/** The final-response clock was missed: answered late, or past due and still running (as the Cases view's "breached"). */
export function finalResponseBreached(c: Pick<CaseRow, "due_at" | "final_response_at" | "status">, now: Date): boolean {
  if (c.final_response_at) return c.final_response_at > c.due_at;
  return c.status !== "closed" && c.due_at <= now;
}

/** A refund recorded without a currency is in the jurisdiction's own (a custom one: the demo bank's CNY). */
function refundCurrency(r: Pick<CaseRow, "remedy" | "jurisdiction">): string {
  return r.remedy.currency ?? { uk: "GBP", us: "USD" }[r.jurisdiction] ?? "CNY";
}

/** The p-th percentile with linear interpolation between ranks (PostgreSQL's percentile_cont). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return Math.round((sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)) * 100) / 100;
}

function duration(days: Array<{ business: number; calendar: number }>): CaseDuration {
  return {
    cases: days.length,
    medianBusinessDays: percentile(
      days.map((d) => d.business),
      0.5,
    ),
    p90BusinessDays: percentile(
      days.map((d) => d.business),
      0.9,
    ),
    medianCalendarDays: percentile(
      days.map((d) => d.calendar),
      0.5,
    ),
    p90CalendarDays: percentile(
      days.map((d) => d.calendar),
      0.9,
    ),
  };
}

function breaches(flags: Array<boolean | null>): CaseBreaches {
  const running = flags.filter((f): f is boolean => f !== null);
  const breached = running.filter(Boolean).length;
  return { clocks: running.length, breached, share: running.length ? Math.round((breached / running.length) * 1000) / 1000 : null };
}

function countBy(rows: CaseReportRow[], key: (r: CaseReportRow) => Omit<CaseCount, "count">): CaseCount[] {
  const counts = new Map<string, CaseCount>();
  for (const r of rows) {
    const k = key(r);
    const entry = counts.get(k.id ?? "") ?? { ...k, count: 0 };
    entry.count++;
    counts.set(k.id ?? "", entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.nameEn ?? "~").localeCompare(b.nameEn ?? "~"));
}

/** The complaints report's figures over the cases of the range (listReportCases), as they stand at `now`. */
export function summarizeCases(rows: CaseReportRow[], range: { from: Date; to: Date }, now = new Date()): CaseReport {
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;

  const rootCauses = new Map<string, { rootCause: string; count: number }>();
  let notRecorded = 0;
  let anonymised = 0;
  for (const r of rows) {
    const text = r.root_cause?.trim().replace(/\s+/g, " ");
    if (!text) {
      // Retention removed its text (retention/anonymiseCase.ts): not the same as never recorded.
      if (r.anonymised_at) anonymised++;
      else notRecorded++;
      continue;
    }
    const key = text.toLowerCase();
    const entry = rootCauses.get(key) ?? { rootCause: text, count: 0 };
    entry.count++;
    rootCauses.set(key, entry);
  }

  const byContact = new Map<string, { contactId: string; name: string | null; cases: number; references: string[] }>();
  for (const r of rows) {
    const entry = byContact.get(r.contact_id) ?? { contactId: r.contact_id, name: r.contact_name, cases: 0, references: [] };
    entry.cases++;
    entry.references.push(r.reference);
    byContact.set(r.contact_id, entry);
  }
  const repeat = [...byContact.values()].filter((c) => c.cases >= 2).sort((a, b) => b.cases - a.cases);

  const refunds = new Map<string, { currency: string; total: number; cases: number }>();
  for (const r of rows) {
    const amount = r.remedy?.refundAmount;
    if (typeof amount !== "number" || amount <= 0) continue;
    const currency = refundCurrency(r);
    const entry = refunds.get(currency) ?? { currency, total: 0, cases: 0 };
    entry.total = Math.round((entry.total + amount) * 100) / 100;
    entry.cases++;
    refunds.set(currency, entry);
  }

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: rows.length,
    byStatus,
    byCategory: countBy(rows, (r) => ({ id: r.category_id, code: r.category_code, nameEn: r.category_en, nameZh: r.category_zh })),
    byProduct: countBy(rows, (r) => ({ id: r.product_id, code: r.product_code, nameEn: r.product_en, nameZh: r.product_zh })),
    timeToAcknowledge: duration(rows.filter((r) => r.acknowledged_at).map((r) => daysTaken(r, r.acknowledged_at!))),
    timeToFinalResponse: duration(rows.filter((r) => r.final_response_at).map((r) => daysTaken(r, r.final_response_at!))),
    breaches: {
      acknowledge: breaches(rows.map((r) => acknowledgeBreached(r, now))),
      finalResponse: breaches(rows.map((r) => finalResponseBreached(r, now))),
    },
    rootCauses: {
      items: [...rootCauses.values()].sort((a, b) => b.count - a.count || a.rootCause.localeCompare(b.rootCause)),
      notRecorded,
      anonymised,
    },
    repeatComplainants: { count: repeat.length, items: repeat.slice(0, 20) },
    remedies: {
      refunds: [...refunds.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      apologies: rows.filter((r) => r.remedy?.apology === true).length,
      processChanges: rows.filter((r) => Boolean(r.remedy?.processChange?.trim()) || r.remedy?.processChangeRecorded === true).length,
    },
  };
}

/** The CSV's header and one row per case (server/reports/csv.ts makes it formula-safe). */
export const CASE_CSV_HEADER = [
  "reference",
  "received_at",
  "source",
  "status",
  "severity",
  "category",
  "product",
  "jurisdiction",
  "inbox",
  "team",
  "owner",
  "customer",
  "summary",
  "acknowledge_due_at",
  "acknowledged_at",
  "acknowledge_business_days",
  "acknowledge_breached",
  "due_at",
  "extensions",
  "final_response_at",
  "final_response_business_days",
  "final_response_breached",
  "closed_at",
  "escalated_to",
  "root_cause",
  "refund_amount",
  "refund_currency",
  "apology",
  "process_change",
];

export function caseCsvRow(r: CaseReportRow, now: Date): unknown[] {
  return [
    r.reference,
    r.received_at,
    r.source,
    r.status,
    r.severity,
    r.category_en,
    r.product_en,
    r.jurisdiction,
    r.inbox_name,
    r.team_name,
    r.owner_name,
    r.contact_name,
    r.summary,
    r.acknowledge_due_at,
    r.acknowledged_at,
    r.acknowledged_at ? daysTaken(r, r.acknowledged_at).business : null,
    acknowledgeBreached(r, now),
    r.due_at,
    r.extensions,
    r.final_response_at,
    r.final_response_at ? daysTaken(r, r.final_response_at).business : null,
    finalResponseBreached(r, now),
    r.closed_at,
    r.escalated_to,
    r.root_cause,
    r.remedy?.refundAmount ?? null,
    r.remedy?.refundAmount ? refundCurrency(r) : null,
    r.remedy?.apology ?? null,
    r.remedy?.processChange ?? null,
  ];
}
