import type { Queryable } from "../db/Database.ts";
import { scope, type ReportFilter } from "./reportScope.ts";

/** The customers' verdicts on the assistant's answers in one day's conversations. */
export interface DayVerdicts {
  /** Answers marked helpful. */
  helpful: number;
  /** Answers marked not helpful: 👎, or rejected in words ("that didn't answer my question")… */
  notHelpful: number;
  /** …of which in words. */
  inWords: number;
  /** Conversations never handed off but with an answer marked not helpful: containment does not count them. */
  uncontained: number;
}

export const NO_VERDICTS: DayVerdicts = { helpful: 0, notHelpful: 0, inWords: 0, uncontained: 0 };

/**
 * The verdicts on answers in the range's conversations, per day the conversation
 * started (UTC), as the daily figures are. Read from answer_feedback joined to its
 * conversations, so the cost follows the verdicts, not the conversations: a
 * per-conversation lookup in the conversation queries themselves made the 30-day
 * summary of eval/bench/console.ts (5,000 conversations) some 40 ms slower on PGlite.
 */
export async function answerVerdictsByDay(db: Queryable, f: ReportFilter): Promise<Map<string, DayVerdicts>> {
  const { params, where } = scope(f);
  const { rows } = await db.query<{ day: string; helpful: number; not_helpful: number; in_words: number; uncontained: number }>(
    `SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE f.rating = 'helpful')::int AS helpful,
            count(*) FILTER (WHERE f.rating = 'not_helpful')::int AS not_helpful,
            count(*) FILTER (WHERE f.rating = 'not_helpful' AND f.via = 'words')::int AS in_words,
            count(DISTINCT f.conversation_id) FILTER (WHERE f.rating = 'not_helpful' AND c.handed_off_at IS NULL)::int AS uncontained
     FROM answer_feedback f JOIN conversations c ON c.id = f.conversation_id
     WHERE ${where} GROUP BY 1`,
    params,
  );
  return new Map(
    rows.map((r) => [r.day, { helpful: r.helpful, notHelpful: r.not_helpful, inWords: r.in_words, uncontained: r.uncontained }]),
  );
}

/**
 * The summary's figures: the verdicts and the helpful rate, the share of the answers
 * given a verdict that were helpful (null when none was). Rejections in words count
 * as not helpful: they are the customer's verdict as much as a 👎 is.
 */
export function answerFeedbackSummary(days: Iterable<Pick<DayVerdicts, "helpful" | "notHelpful" | "inWords">>) {
  const t = { helpful: 0, notHelpful: 0, inWords: 0 };
  for (const d of days) {
    t.helpful += d.helpful;
    t.notHelpful += d.notHelpful;
    t.inWords += d.inWords;
  }
  const judged = t.helpful + t.notHelpful;
  return { ...t, helpfulRate: judged ? t.helpful / judged : null };
}
