import type { Queryable } from "../db/Database.ts";
import { ANSWER_VERDICTS, scope, type ReportFilter } from "./reportScope.ts";
import { unansweredQuestions } from "./unansweredQuestions.ts";
import { answerFeedbackSummary, answerVerdictsByDay, NO_VERDICTS } from "./answerVerdicts.ts";

import type { ReportDay, ReportSummary, SentimentDay } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";

export type { ReportFilter } from "./reportScope.ts";

const num = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * Service metrics over a date range (conversations created in it): volume, bot
 * containment (resolved by the assistant alone: never handed off, and no answer
 * the customer marked not helpful or rejected), handoffs by reason, first response
 * time (handoff → first human reply) and resolution time (median, p90, seconds),
 * CSAT, the customers' verdicts on the assistant's answers, and the same per day
 * for the charts.
 */
export async function reportSummary(db: Queryable, f: ReportFilter): Promise<Presented<ReportSummary>> {
  const { params, where } = scope(f);
  const [totals, reasons, times, csat, daily, sentimentTrend, unanswered] = await Promise.all([
    db.query<{ conversations: number; handed_off: number }>(
      `SELECT count(*)::int AS conversations, count(c.handed_off_at)::int AS handed_off FROM conversations c WHERE ${where}`,
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
  // Every conversation of the range is on one of its days: containment and verdicts add up from them.
  const botResolved = daily.reduce((n, d) => n + d.bot_resolved, 0);
  const distribution = Object.fromEntries([1, 2, 3, 4, 5].map((r) => [r, csat.rows.find((x) => x.rating === r)?.n ?? 0]));
  const rated = csat.rows.reduce((n, r) => n + r.n, 0);
  const tm = times.rows[0]!;
  return {
    from: f.from,
    to: f.to,
    conversations: t.conversations,
    containmentRate: t.conversations ? botResolved / t.conversations : null,
    handoffRate: t.conversations ? t.handed_off / t.conversations : null,
    handoffsByReason: Object.fromEntries(reasons.rows.map((r) => [r.reason, r.n])),
    firstResponse: { median: num(tm.frt_median), p90: num(tm.frt_p90) },
    resolution: { median: num(tm.res_median), p90: num(tm.res_p90) },
    csat: { average: rated ? csat.rows.reduce((s, r) => s + r.rating * r.n, 0) / rated : null, responses: rated, distribution },
    answerFeedback: answerFeedbackSummary(
      daily.map((d) => ({ helpful: d.answers_helpful, notHelpful: d.answers_not_helpful, inWords: d.answers_in_words })),
    ),
    daily,
    sentimentTrend,
    unansweredQuestions: unanswered,
  };
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

/** The range's figures per day (UTC days), for the charts and the daily CSV. */
export async function dailyRows(db: Queryable, f: ReportFilter): Promise<ReportDay[]> {
  const { params, where } = scope(f);
  const [{ rows }, verdicts] = await Promise.all([
    db.query<Omit<ReportDay, "answers_helpful" | "answers_not_helpful" | "answers_in_words">>(
      `SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            count(*)::int AS n,
            count(c.handed_off_at)::int AS handed_off,
            -- Never handed off; those with an answer marked not helpful are taken off below.
            count(*) FILTER (WHERE c.handed_off_at IS NULL)::int AS bot_resolved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_median,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_median,
            avg(r.rating)::float AS csat_average
     FROM conversations c LEFT JOIN csat_responses r ON r.conversation_id = c.id
     WHERE ${where} GROUP BY 1 ORDER BY 1`,
      params,
    ),
    answerVerdictsByDay(db, f),
  ]);
  return rows.map((r) => {
    const v = verdicts.get(r.day) ?? NO_VERDICTS;
    return {
      ...r,
      bot_resolved: r.bot_resolved - v.uncontained,
      frt_median: num(r.frt_median),
      res_median: num(r.res_median),
      csat_average: r.csat_average === null ? null : Math.round(Number(r.csat_average) * 100) / 100,
      answers_helpful: v.helpful,
      answers_not_helpful: v.notHelpful,
      answers_in_words: v.inWords,
    };
  });
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
  answers_helpful: number;
  answers_not_helpful: number;
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
            r.rating AS csat, c.sentiment_label AS sentiment, c.labels,
            fb.helpful AS answers_helpful, fb.not_helpful AS answers_not_helpful
     FROM conversations c
     JOIN inboxes i ON i.id = c.inbox_id
     JOIN contacts ct ON ct.id = c.contact_id
     LEFT JOIN teams t ON t.id = c.team_id
     LEFT JOIN agents a ON a.id = c.assignee_id
     LEFT JOIN csat_responses r ON r.conversation_id = c.id
     ${ANSWER_VERDICTS}
     WHERE ${where} ORDER BY c.created_at LIMIT $${params.length}`,
    params,
  );
  return rows;
}
