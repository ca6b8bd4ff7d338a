import type { Queryable } from "../db/Database.ts";
import { redactText } from "../privacy/redact.ts";
import { filterParams, segmentClause, VISIBLE, type ReportFilter } from "./reportScope.ts";
import type { AnswerPassage, UnansweredQuestion } from "../../shared/wire/index.ts";

/** As the summary sends it, with the time it was last asked as read. */
type Found = Omit<UnansweredQuestion, "lastSeen"> & { lastSeen: Date };

/** A question's grouping key: case, spacing, punctuation and digits ignored. */
export const questionKey = (text: string) =>
  `btrim(regexp_replace(lower(regexp_replace(${text}, '[0-9]', '0', 'g')), '[[:space:][:punct:]，。？！、；：“”‘’（）]+', ' ', 'g'))`;
/**
 * The question answer `b` answered: the message it replies to, or, for another try after
 * "that didn't answer my question", the question asked before (content_attributes.question).
 */
const ANSWERED_QUESTION = "COALESCE(b.content_attributes->>'question', m.content)";
/** The customer's question `m` that the assistant's reply `b` answered (its replyTo). */
export const QUESTION_OF_REPLY = `JOIN messages m ON m.id = CASE WHEN b.content_attributes->>'replyTo' ~ '^[0-9a-fA-F-]{36}$'
                                      THEN (b.content_attributes->>'replyTo')::uuid END
                      AND m.conversation_id = b.conversation_id`;
/** Replies `b` in the range, of conversations `c` the filters and the reader allow. */
const REPLY_IN_SCOPE = `b.created_at >= $1 AND b.created_at < $2
         AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4) AND ${VISIBLE}`;

/**
 * "Top unanswered questions" for the content team: customer messages the assistant
 * declined (its reply has content_attributes.declined = true and points at the
 * question with replyTo), and those it answered with an answer the customer marked
 * not helpful (answer_feedback), with the passages that answer was made from (its
 * question: the message it replies to, or the one before "that didn't answer my
 * question" for another try). In the range (by the time of the reply), grouped by
 * normalised text (and, for an unhelpful answer, by its passages), most frequent
 * first. Texts are redacted here: the report never shows a customer's card or phone
 * number.
 */
export async function unansweredQuestions(db: Queryable, f: ReportFilter, limit = 10): Promise<Found[]> {
  const params = [...filterParams(f), limit * 3];
  const segment = segmentClause(f, params);
  const [declined, unhelpful] = await Promise.all([
    // Served by messages_declined (012_hot_message_updates.sql): only the assistant's declines in the range are read.
    db.query<{ text: string; n: number; last_seen: Date }>(
      `WITH q AS (
         SELECT m.content, m.created_at, ${questionKey("m.content")} AS k
         FROM messages b
         JOIN conversations c ON c.id = b.conversation_id
         -- CASE: a malformed replyTo is skipped, never cast (the planner may order WHERE clauses freely).
         ${QUESTION_OF_REPLY}
         WHERE b.declined AND ${REPLY_IN_SCOPE}${segment}
       )
       SELECT (array_agg(content ORDER BY created_at DESC))[1] AS text, count(*)::int AS n, max(created_at) AS last_seen
       FROM q WHERE k <> '' GROUP BY k ORDER BY n DESC, last_seen DESC LIMIT $7`,
      params,
    ),
    // Verdicts are a small share of answers: read from answer_feedback, each answer by its key.
    db.query<{ text: string; n: number; last_seen: Date; citations: unknown }>(
      `WITH q AS (
         SELECT ${ANSWERED_QUESTION} AS content, m.created_at, ${questionKey(ANSWERED_QUESTION)} AS k,
                COALESCE(b.content_attributes->'citations', '[]'::jsonb) AS citations
         FROM answer_feedback fb
         JOIN messages b ON b.id = fb.message_id
         JOIN conversations c ON c.id = fb.conversation_id
         ${QUESTION_OF_REPLY}
         WHERE fb.rating = 'not_helpful' AND ${REPLY_IN_SCOPE}${segment}
       )
       SELECT (array_agg(content ORDER BY created_at DESC))[1] AS text, count(*)::int AS n, max(created_at) AS last_seen, citations
       FROM q WHERE k <> '' GROUP BY k, citations ORDER BY n DESC, last_seen DESC LIMIT $7`,
      params,
    ),
  ]);
  // Redacting can make different groups read the same (two card numbers): merge them.
  const merged = new Map<string, Found>();
  const add = (r: { text: string; n: number; last_seen: Date }, reason: UnansweredQuestion["reason"], passages: AnswerPassage[]) => {
    const raw = r.text.replace(/\s+/g, " ").trim();
    const text = redactText(raw.length > 300 ? `${raw.slice(0, 300)}…` : raw).text;
    const seen = new Date(r.last_seen);
    const key = JSON.stringify([reason, text, passages.map((p) => [p.path, p.heading])]);
    const prev = merged.get(key);
    if (prev) {
      prev.count += r.n;
      if (seen > prev.lastSeen) prev.lastSeen = seen;
    } else merged.set(key, { text, count: r.n, lastSeen: seen, reason, passages });
  };
  for (const r of declined.rows) add(r, "declined", []);
  for (const r of unhelpful.rows) add(r, "not_helpful", passagesOf(r.citations));
  return [...merged.values()].sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime()).slice(0, limit);
}

/** The article and section of each citation an answer carried (assistant/types.ts Citation), skipping malformed ones. */
export function passagesOf(citations: unknown): AnswerPassage[] {
  if (!Array.isArray(citations)) return [];
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return citations
    .filter((c): c is Record<string, unknown> => !!c && typeof c === "object" && typeof (c as { path?: unknown }).path === "string")
    .map((c) => ({ path: str(c.path), title: str(c.title), heading: str(c.heading) }));
}
