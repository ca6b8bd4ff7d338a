import { segmentCondition, type SegmentCriteria } from "../segments/segmentCriteria.ts";

/** What every report query is filtered by: the range, a team, an inbox, and what the reader may see. */
export interface ReportFilter {
  from: Date;
  to: Date;
  teamId?: string;
  inboxId?: string;
  /** A customer segment's criteria: only its customers' conversations (the overview and its exports; GET /reports/summary?segmentId=). */
  segment?: SegmentCriteria;
  /** Only the conversations this agent may read (policies/conversationPolicy.ts reportVisibility); all when absent. */
  visibleTo?: ReportVisibility;
}

export interface ReportVisibility {
  agentId: string;
  teamIds: string[];
}

/**
 * The conversations `c` of a report's reader, as canReadConversation decides for an
 * agent: no team, one of their teams, or assigned to them ($5 the team ids, $6 the
 * agent; both null: everything).
 */
export const VISIBLE = "($5::uuid[] IS NULL OR c.team_id IS NULL OR c.team_id = ANY($5::uuid[]) OR c.assignee_id = $6::uuid)";

/** $1 … $6 of every report query: the range, the team and inbox filters, and what the reader may see. */
export function filterParams(f: ReportFilter): unknown[] {
  return [f.from, f.to, f.teamId ?? null, f.inboxId ?? null, f.visibleTo?.teamIds ?? null, f.visibleTo?.agentId ?? null];
}

/** The segment's condition on conversations `c` (" AND …", its values added to `params`), or nothing without one. */
export function segmentClause(f: ReportFilter, params: unknown[]): string {
  return f.segment ? ` AND ${segmentCondition(f.segment, "c.contact_id", (v) => (params.push(v), `$${params.length}`))}` : "";
}

/** The conversations `c` created in the range, with the filters: the WHERE clause and its parameters. */
export function scope(f: ReportFilter) {
  const params = filterParams(f);
  const segment = segmentClause(f, params);
  return {
    params,
    where: `c.created_at >= $1 AND c.created_at < $2 AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4) AND ${VISIBLE}${segment}`,
  };
}

/**
 * The customers' verdicts on the assistant's answers in conversation `c`, as `fb`:
 * answers marked helpful and not helpful. One index probe per conversation
 * (answer_feedback_conversation), so only for the per-conversation export; always
 * one row, zeros when nobody rated.
 */
export const ANSWER_VERDICTS = `LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE f.rating = 'helpful')::int AS helpful,
         count(*) FILTER (WHERE f.rating = 'not_helpful')::int AS not_helpful
  FROM answer_feedback f WHERE f.conversation_id = c.id) fb ON true`;
