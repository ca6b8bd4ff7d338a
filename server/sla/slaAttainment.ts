import type { Queryable } from "../db/Database.ts";
import { filterParams, segmentClause, VISIBLE, type ReportFilter } from "../reports/reportScope.ts";

export interface SlaAttainmentRow {
  policy_id: string;
  policy: string;
  active: boolean;
  conversations: number;
  first_response_met: number;
  first_response_missed: number;
  next_response_met: number;
  next_response_missed: number;
  /** Every wait for a reply after the first, met and missed (a conversation can have many). */
  waits_met: number;
  waits_missed: number;
  resolution_met: number;
  resolution_missed: number;
}

/**
 * Attainment per policy over the conversations whose clocks started in the range
 * (with the reports' team, inbox, segment and visibility filters): how many met each target
 * and how many missed it. A target still running and not yet due is neither. Missed:
 * met late, or breached (by the clock check, or past due now while still running).
 * Next response: a conversation meets it when none of its waits for a reply was late.
 */
export async function slaAttainment(db: Queryable, f: ReportFilter, now = new Date()): Promise<SlaAttainmentRow[]> {
  const running = "c.status IN ('open', 'snoozed')";
  const waitLate = `(s.next_response_since IS NOT NULL AND ${running} AND s.next_response_due_at <= $7)`;
  const params = [...filterParams(f), now];
  const segment = segmentClause(f, params);
  const { rows } = await db.query<SlaAttainmentRow>(
    `SELECT p.id AS policy_id, p.name AS policy, p.active, count(*)::int AS conversations,
       count(*) FILTER (WHERE s.first_response_at <= s.first_response_due_at)::int AS first_response_met,
       count(*) FILTER (WHERE s.first_response_due_at IS NOT NULL AND (s.first_response_breached_at IS NOT NULL
                          OR (s.first_response_at IS NULL AND ${running} AND s.first_response_due_at <= $7)))::int AS first_response_missed,
       count(*) FILTER (WHERE s.next_responses_met > 0 AND s.next_responses_missed = 0 AND NOT ${waitLate})::int AS next_response_met,
       count(*) FILTER (WHERE s.next_responses_missed > 0 OR ${waitLate})::int AS next_response_missed,
       coalesce(sum(s.next_responses_met), 0)::int AS waits_met,
       coalesce(sum(s.next_responses_missed), 0)::int AS waits_missed,
       count(*) FILTER (WHERE s.resolved_at <= s.resolution_due_at)::int AS resolution_met,
       count(*) FILTER (WHERE s.resolution_due_at IS NOT NULL AND (s.resolution_breached_at IS NOT NULL
                          OR (s.resolved_at IS NULL AND ${running} AND s.resolution_due_at <= $7)))::int AS resolution_missed
     FROM conversation_slas s JOIN conversations c ON c.id = s.conversation_id JOIN sla_policies p ON p.id = s.policy_id
     WHERE s.started_at >= $1 AND s.started_at < $2 AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4)
       AND ${VISIBLE}${segment}
     GROUP BY p.id, p.name, p.active, p.position ORDER BY p.position, p.name`,
    params,
  );
  return rows;
}

/** met / (met + missed), to three decimals; null when nothing was decided. */
export function attainmentRate(met: number, missed: number): number | null {
  return met + missed ? Math.round((met / (met + missed)) * 1000) / 1000 : null;
}
