import type { Queryable } from "../db/Database.ts";
import { redactText } from "../privacy/redact.ts";

export interface ReportFilter {
  from: Date;
  to: Date;
  teamId?: string;
  inboxId?: string;
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
const VISIBLE = "($5::uuid[] IS NULL OR c.team_id IS NULL OR c.team_id = ANY($5::uuid[]) OR c.assignee_id = $6::uuid)";

export interface DailyRow {
  day: string;
  n: number;
  handed_off: number;
  bot_resolved: number;
  frt_median: number | null;
  res_median: number | null;
  csat_average: number | null;
}

/** $1 … $6 of every report query: the range, the team and inbox filters, and what the reader may see. */
function filterParams(f: ReportFilter): unknown[] {
  return [f.from, f.to, f.teamId ?? null, f.inboxId ?? null, f.visibleTo?.teamIds ?? null, f.visibleTo?.agentId ?? null];
}

function scope(f: ReportFilter) {
  return {
    params: filterParams(f),
    where: `c.created_at >= $1 AND c.created_at < $2 AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4) AND ${VISIBLE}`,
  };
}

const num = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * Service metrics over a date range (conversations created in it): volume, bot
 * containment (resolved without a human: never handed off), handoffs by reason,
 * first response time (handoff → first human reply) and resolution time (median,
 * p90, seconds), CSAT, and the same per day for the charts.
 */
export async function reportSummary(db: Queryable, f: ReportFilter) {
  const { params, where } = scope(f);
  const [totals, reasons, times, csat, daily, sentimentTrend, unanswered] = await Promise.all([
    db.query<{ conversations: number; handed_off: number; bot_resolved: number }>(
      `SELECT count(*)::int AS conversations, count(c.handed_off_at)::int AS handed_off,
              count(*) FILTER (WHERE c.handed_off_at IS NULL)::int AS bot_resolved
       FROM conversations c WHERE ${where}`,
      params,
    ),
    db.query<{ reason: string; n: number }>(
      `SELECT c.handoff_reason AS reason, count(*)::int AS n FROM conversations c
       WHERE ${where} AND c.handoff_reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`,
      params,
    ),
    db.query<{ frt_median: number | null; frt_p90: number | null; res_median: number | null; res_p90: number | null }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_p90,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_p90
       FROM conversations c WHERE ${where}`,
      params,
    ),
    db.query<{ rating: number; n: number }>(
      `SELECT r.rating, count(*)::int AS n FROM csat_responses r JOIN conversations c ON c.id = r.conversation_id
       WHERE ${where} GROUP BY 1`,
      params,
    ),
    dailyRows(db, f),
    sentimentRows(db, f),
    unansweredQuestions(db, f),
  ]);
  const t = totals.rows[0]!;
  const distribution = Object.fromEntries([1, 2, 3, 4, 5].map((r) => [r, csat.rows.find((x) => x.rating === r)?.n ?? 0]));
  const rated = csat.rows.reduce((n, r) => n + r.n, 0);
  const tm = times.rows[0]!;
  return {
    from: f.from,
    to: f.to,
    conversations: t.conversations,
    containmentRate: t.conversations ? t.bot_resolved / t.conversations : null,
    handoffRate: t.conversations ? t.handed_off / t.conversations : null,
    handoffsByReason: Object.fromEntries(reasons.rows.map((r) => [r.reason, r.n])),
    firstResponse: { median: num(tm.frt_median), p90: num(tm.frt_p90) },
    resolution: { median: num(tm.res_median), p90: num(tm.res_p90) },
    csat: { average: rated ? csat.rows.reduce((s, r) => s + r.rating * r.n, 0) / rated : null, responses: rated, distribution },
    daily,
    sentimentTrend,
    unansweredQuestions: unanswered,
  };
}

export interface SentimentDay {
  day: string;
  /** Conversations of the day with a sentiment score. */
  scored: number;
  /** Their average score (−1 … 1), two decimals; null when none was scored. */
  average: number | null;
  /** Share of the day's conversations with a sentiment whose mood is negative (0 … 1). */
  negativeShare: number | null;
}

/** The customers' mood per day (UTC): average conversation sentiment score and the share of negative conversations. */
export async function sentimentRows(db: Queryable, f: ReportFilter): Promise<SentimentDay[]> {
  const { params, where } = scope(f);
  const { rows } = await db.query<{ day: string; scored: number; average: number | null; labelled: number; negative: number }>(
    `SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            count(c.sentiment_score)::int AS scored,
            avg(c.sentiment_score)::float AS average,
            count(c.sentiment_label)::int AS labelled,
            count(*) FILTER (WHERE c.sentiment_label = 'negative')::int AS negative
     FROM conversations c
     WHERE ${where} AND c.sentiment_label IS NOT NULL GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows.map((r) => ({
    day: r.day,
    scored: r.scored,
    average: r.average === null ? null : Math.round(Number(r.average) * 100) / 100,
    negativeShare: r.labelled ? Math.round((r.negative / r.labelled) * 1000) / 1000 : null,
  }));
}

export interface UnansweredQuestion {
  /** The latest wording of the question, with card, ID and phone numbers and e-mail addresses masked. */
  text: string;
  count: number;
  lastSeen: Date;
}

/**
 * "Top unanswered questions" for the content team: customer messages the assistant
 * declined (its reply has content_attributes.declined = true and points at the
 * question with replyTo), in the range, grouped by normalised text (case, spacing,
 * punctuation and digits ignored), most frequent first. Texts are redacted here:
 * the report never shows a customer's card or phone number.
 */
export async function unansweredQuestions(db: Queryable, f: ReportFilter, limit = 10): Promise<UnansweredQuestion[]> {
  const params = [...filterParams(f), limit * 3];
  // Served by messages_declined (012_hot_message_updates.sql): only the assistant's declines in the range are read.
  const { rows } = await db.query<{ text: string; n: number; last_seen: Date }>(
    `WITH q AS (
       SELECT m.content, m.created_at,
              btrim(regexp_replace(lower(regexp_replace(m.content, '[0-9]', '0', 'g')), '[[:space:][:punct:]，。？！、；：“”‘’（）]+', ' ', 'g')) AS k
       FROM messages b
       JOIN conversations c ON c.id = b.conversation_id
       -- CASE: a malformed replyTo is skipped, never cast (the planner may order WHERE clauses freely).
       JOIN messages m ON m.id = CASE WHEN b.content_attributes->>'replyTo' ~ '^[0-9a-fA-F-]{36}$'
                                      THEN (b.content_attributes->>'replyTo')::uuid END
                      AND m.conversation_id = b.conversation_id
       WHERE b.declined
         AND b.created_at >= $1 AND b.created_at < $2
         AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4) AND ${VISIBLE}
     )
     SELECT (array_agg(content ORDER BY created_at DESC))[1] AS text, count(*)::int AS n, max(created_at) AS last_seen
     FROM q WHERE k <> '' GROUP BY k ORDER BY n DESC, last_seen DESC LIMIT $7`,
    params,
  );
  // Redacting can make different groups read the same (two card numbers): merge them.
  const merged = new Map<string, UnansweredQuestion>();
  for (const r of rows) {
    const raw = r.text.replace(/\s+/g, " ").trim();
    const text = redactText(raw.length > 300 ? `${raw.slice(0, 300)}…` : raw).text;
    const seen = new Date(r.last_seen);
    const prev = merged.get(text);
    if (prev) {
      prev.count += r.n;
      if (seen > prev.lastSeen) prev.lastSeen = seen;
    } else merged.set(text, { text, count: r.n, lastSeen: seen });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime()).slice(0, limit);
}

/** The range's figures per day (UTC days), for the charts and the daily CSV. */
export async function dailyRows(db: Queryable, f: ReportFilter): Promise<DailyRow[]> {
  const { params, where } = scope(f);
  const { rows } = await db.query<DailyRow>(
    `SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            count(*)::int AS n,
            count(c.handed_off_at)::int AS handed_off,
            count(*) FILTER (WHERE c.handed_off_at IS NULL)::int AS bot_resolved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_median,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_median,
            avg(r.rating)::float AS csat_average
     FROM conversations c LEFT JOIN csat_responses r ON r.conversation_id = c.id
     WHERE ${where} GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    frt_median: num(r.frt_median),
    res_median: num(r.res_median),
    csat_average: r.csat_average === null ? null : Math.round(Number(r.csat_average) * 100) / 100,
  }));
}

export interface ConversationExportRow {
  display_id: number;
  created_at: Date;
  status: string;
  inbox: string;
  team: string | null;
  assignee: string | null;
  contact: string | null;
  handoff_reason: string | null;
  first_response_seconds: number | null;
  resolution_seconds: number | null;
  csat: number | null;
  sentiment: string | null;
  labels: string[];
}

/** One row per conversation in the range, for the per-conversation CSV (at most `limit`). */
export async function conversationRows(db: Queryable, f: ReportFilter, limit = 100_000): Promise<ConversationExportRow[]> {
  const { params, where } = scope(f);
  params.push(limit);
  const { rows } = await db.query<ConversationExportRow>(
    `SELECT c.display_id, c.created_at, c.status, i.name AS inbox, t.name AS team, a.name AS assignee, ct.name AS contact,
            c.handoff_reason,
            round(extract(epoch FROM c.first_reply_at - c.handed_off_at))::int AS first_response_seconds,
            round(extract(epoch FROM c.resolved_at - c.created_at))::int AS resolution_seconds,
            r.rating AS csat, c.sentiment_label AS sentiment, c.labels
     FROM conversations c
     JOIN inboxes i ON i.id = c.inbox_id
     JOIN contacts ct ON ct.id = c.contact_id
     LEFT JOIN teams t ON t.id = c.team_id
     LEFT JOIN agents a ON a.id = c.assignee_id
     LEFT JOIN csat_responses r ON r.conversation_id = c.id
     WHERE ${where} ORDER BY c.created_at LIMIT $${params.length}`,
    params,
  );
  return rows;
}
