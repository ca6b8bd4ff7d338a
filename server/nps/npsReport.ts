import type { Queryable } from "../db/Database.ts";
import { filterParams, segmentClause, VISIBLE, type ReportFilter } from "../reports/reportScope.ts";
import { redactText } from "../privacy/redact.ts";
import type { NpsReport } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import { npsFigures } from "./npsScore.ts";

/** The conversations `c` the team, inbox and visibility filters allow ($3 … $6 of filterParams). */
const FILTERED = `($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4) AND ${VISIBLE}`;

/**
 * The report's parameters and conditions: `answered`, the answers `n` in the range (by
 * when they were answered) that the filters, the segment and the reader allow; `pending`,
 * the surveys asked in the range and not answered, likewise.
 */
function npsScope(f: ReportFilter) {
  const params = filterParams(f);
  const segment = segmentClause(f, params);
  return {
    params,
    answered: `n.score IS NOT NULL AND n.answered_at >= $1 AND n.answered_at < $2 AND ${FILTERED}${segment}`,
    pending: `n.score IS NULL AND n.asked_at >= $1 AND n.asked_at < $2 AND ${FILTERED}${segment}`,
  };
}
const BANDS = `count(*) FILTER (WHERE n.score >= 9)::int AS promoters,
  count(*) FILTER (WHERE n.score BETWEEN 7 AND 8)::int AS passives,
  count(*) FILTER (WHERE n.score <= 6)::int AS detractors`;
const FROM = "FROM nps_responses n JOIN conversations c ON c.id = n.conversation_id";

interface Bands {
  promoters: number;
  passives: number;
  detractors: number;
}

/**
 * The Net Promoter report of a period: the score (%promoters − %detractors), the
 * counts, the trend by week, the same by inbox, team and agent (who the conversation
 * was assigned to), surveys still pending, and the latest reasons given (redacted).
 */
export async function npsReport(db: Queryable, f: ReportFilter, commentLimit = 50): Promise<Presented<NpsReport>> {
  const { params, answered, pending: pendingSurveys } = npsScope(f);
  const [overall, pending, weeks, inboxes, teams, agents, comments] = await Promise.all([
    db.query<Bands>(`SELECT ${BANDS} ${FROM} WHERE ${answered}`, params),
    db.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${pendingSurveys}`, params),
    db.query<Bands & { week: string }>(
      `SELECT to_char(date_trunc('week', n.answered_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, ${BANDS}
       ${FROM} WHERE ${answered} GROUP BY 1 ORDER BY 1`,
      params,
    ),
    db.query<Bands & { id: string; name: string }>(
      `SELECT i.id, i.name, ${BANDS} ${FROM} JOIN inboxes i ON i.id = c.inbox_id WHERE ${answered}
       GROUP BY i.id, i.name ORDER BY count(*) DESC, i.name`,
      params,
    ),
    db.query<Bands & { id: string | null; name: string | null }>(
      `SELECT t.id, t.name, ${BANDS} ${FROM} LEFT JOIN teams t ON t.id = c.team_id WHERE ${answered}
       GROUP BY t.id, t.name ORDER BY count(*) DESC, t.name NULLS LAST`,
      params,
    ),
    db.query<Bands & { id: string | null; name: string | null }>(
      `SELECT a.id, COALESCE(a.display_name, a.name) AS name, ${BANDS} ${FROM} LEFT JOIN agents a ON a.id = c.assignee_id
       WHERE ${answered} GROUP BY a.id, 2 ORDER BY count(*) DESC, 2 NULLS LAST`,
      params,
    ),
    db.query<{ conversation_id: string; display_id: number; inbox: string; score: number; comment: string; answered_at: Date }>(
      `SELECT n.conversation_id, c.display_id, i.name AS inbox, n.score, n.comment, n.answered_at
       ${FROM} JOIN inboxes i ON i.id = c.inbox_id WHERE ${answered} AND n.comment IS NOT NULL
       ORDER BY n.answered_at DESC LIMIT $${params.length + 1}`,
      [...params, commentLimit],
    ),
  ]);
  const figures = (b: Bands) => npsFigures({ promoters: b.promoters, passives: b.passives, detractors: b.detractors });
  return {
    overall: figures(overall.rows[0] ?? { promoters: 0, passives: 0, detractors: 0 }),
    pending: pending.rows[0]?.n ?? 0,
    byWeek: weeks.rows.map((w) => ({ week: w.week, ...figures(w) })),
    byInbox: inboxes.rows.map((r) => ({ id: r.id, name: r.name, ...figures(r) })),
    byTeam: teams.rows.map((r) => ({ id: r.id, name: r.name, ...figures(r) })),
    byAgent: agents.rows.map((r) => ({ id: r.id, name: r.name, ...figures(r) })),
    comments: comments.rows.map((r) => ({
      conversationId: r.conversation_id,
      displayId: r.display_id,
      inbox: r.inbox,
      score: r.score,
      comment: redactText(r.comment).text,
      answeredAt: r.answered_at.toISOString(),
    })),
  };
}

/** One row per answer for the admins' CSV (it names customers). */
export async function npsRows(db: Queryable, f: ReportFilter) {
  const { params, answered } = npsScope(f);
  const { rows } = await db.query<{
    display_id: number;
    answered_at: Date;
    inbox: string;
    team: string | null;
    assignee: string | null;
    contact: string | null;
    score: number;
    comment: string | null;
  }>(
    `SELECT c.display_id, n.answered_at, i.name AS inbox, t.name AS team, COALESCE(a.display_name, a.name) AS assignee,
            COALESCE(ct.name, ct.email, ct.phone) AS contact, n.score, n.comment
     ${FROM} JOIN inboxes i ON i.id = c.inbox_id LEFT JOIN teams t ON t.id = c.team_id
     LEFT JOIN agents a ON a.id = c.assignee_id JOIN contacts ct ON ct.id = n.contact_id
     WHERE ${answered} ORDER BY n.answered_at LIMIT 100000`,
    params,
  );
  return rows;
}

/**
 * A customer's satisfaction history over the given conversations (those the reader may
 * see), newest first: CSAT (1–5) and NPS (0–10) with their comments, side by side on
 * their profile.
 */
export async function satisfactionHistory(db: Queryable, conversationIds: string[]) {
  if (!conversationIds.length) return { csat: [], nps: [] };
  const [csat, nps] = await Promise.all([
    db.query<{ conversation_id: string; display_id: number; rating: number; comment: string | null; created_at: Date }>(
      `SELECT r.conversation_id, c.display_id, r.rating, r.comment, r.created_at FROM csat_responses r
       JOIN conversations c ON c.id = r.conversation_id WHERE r.conversation_id = ANY($1::uuid[]) ORDER BY r.created_at DESC LIMIT 50`,
      [conversationIds],
    ),
    db.query<{ conversation_id: string; display_id: number; score: number; comment: string | null; answered_at: Date }>(
      `SELECT n.conversation_id, c.display_id, n.score, n.comment, n.answered_at ${FROM}
       WHERE n.conversation_id = ANY($1::uuid[]) AND n.score IS NOT NULL ORDER BY n.answered_at DESC LIMIT 50`,
      [conversationIds],
    ),
  ]);
  return {
    csat: csat.rows.map((r) => ({
      conversationId: r.conversation_id,
      displayId: r.display_id,
      rating: r.rating,
      comment: r.comment,
      createdAt: r.created_at,
    })),
    nps: nps.rows.map((r) => ({
      conversationId: r.conversation_id,
      displayId: r.display_id,
      score: r.score,
      comment: r.comment,
      answeredAt: r.answered_at,
    })),
  };
}
