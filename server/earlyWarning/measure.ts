import type { Queryable } from "../db/Database.ts";
import { QUESTION_OF_REPLY, questionKey } from "../reports/unansweredQuestions.ts";
import { redactText } from "../privacy/redact.ts";
import type { Measurement } from "./decideCrossings.ts";
import type { ThresholdRow } from "./types.ts";

/** Conversations kept with an alert, at most: enough to act on, a bounded row. */
const MAX_IDS = 200;

type Row = { subject: string; label: string; value: number | string; ids: string[] | null };
const rows = (r: Row[]): Measurement[] =>
  r.map((x) => ({ subject: x.subject, label: x.label, value: Number(x.value), conversationIds: (x.ids ?? []).slice(0, MAX_IDS) }));

/**
 * Which inboxes a threshold counts, as SQL on `column` (the inbox of the row counted),
 * its value added to `params`: one inbox's threshold counts that inbox; the
 * organisation's counts every inbox but those with their own threshold of the metric
 * (`overridden`), which replace it there.
 */
function inboxScope(column: string, t: Pick<ThresholdRow, "inbox_id">, overridden: readonly string[], params: unknown[]): string {
  if (t.inbox_id) {
    params.push(t.inbox_id);
    return `AND ${column} = $${params.length}`;
  }
  if (!overridden.length) return "";
  params.push([...overridden]);
  return `AND NOT (${column} = ANY($${params.length}::uuid[]))`;
}

/**
 * A threshold's metric over the window ending `now`, per subject: complaints filed
 * per category; the share of conversations active in the window whose sentiment is
 * negative (null below min_conversations scored); SLA breaches recorded; how often
 * each question the assistant declined was asked (grouped as the unanswered-questions
 * report groups them, its wording redacted). Each with the conversations behind it.
 * Counted in the threshold's inbox, or for the organisation's in every inbox but the
 * `overridden` ones (inboxScope).
 */
export async function measure(
  db: Queryable,
  t: Pick<ThresholdRow, "metric" | "window_minutes" | "min_conversations" | "inbox_id">,
  now: Date,
  overridden: readonly string[] = [],
): Promise<Measurement[] | null> {
  // The window is (now − window, now] counted in whole milliseconds, as `now` is: the
  // database keeps microseconds, and a breach recorded in the millisecond `now` names
  // (.123456 against .123) was left out by `<= now` (a flaky test found it: the check
  // right after a breach missed it). Hence [since + 1 ms, now + 1 ms).
  const params: unknown[] = [new Date(now.getTime() - t.window_minutes * 60_000 + 1), new Date(now.getTime() + 1)];
  switch (t.metric) {
    case "complaints_per_category": {
      const { rows: r } = await db.query<Row>(
        `SELECT COALESCE(tx.code, '') AS subject, COALESCE(tx.name_en, 'Not classified') AS label, count(DISTINCT k.id)::int AS value,
                array_remove(array_agg(DISTINCT cc.conversation_id), NULL) AS ids
         FROM cases k LEFT JOIN case_taxonomy tx ON tx.id = k.category_id
         LEFT JOIN case_conversations cc ON cc.case_id = k.id
         WHERE k.created_at >= $1 AND k.created_at < $2 ${inboxScope("k.inbox_id", t, overridden, params)} GROUP BY 1, 2`,
        params,
      );
      return rows(r);
    }
    case "negative_share": {
      const { rows: r } = await db.query<{ scored: number; negative: number; ids: string[] | null }>(
        `SELECT count(*) FILTER (WHERE sentiment_label IS NOT NULL)::int AS scored,
                count(*) FILTER (WHERE sentiment_label = 'negative')::int AS negative,
                array_agg(id ORDER BY last_activity_at DESC) FILTER (WHERE sentiment_label = 'negative') AS ids
         FROM conversations WHERE last_activity_at >= $1 AND last_activity_at < $2 ${inboxScope("inbox_id", t, overridden, params)}`,
        params,
      );
      const x = r[0]!;
      if (x.scored < t.min_conversations) return null;
      return [
        { subject: "", label: "Negative conversations", value: x.negative / x.scored, conversationIds: (x.ids ?? []).slice(0, MAX_IDS) },
      ];
    }
    case "sla_breaches": {
      const { rows: r } = await db.query<Row>(
        `SELECT '' AS subject, 'SLA breaches' AS label, count(*)::int AS value,
                array_agg(DISTINCT s.conversation_id) AS ids
         FROM sla_alerts s JOIN conversations c ON c.id = s.conversation_id
         WHERE s.level = 'breach' AND s.created_at >= $1 AND s.created_at < $2 ${inboxScope("c.inbox_id", t, overridden, params)}
         HAVING count(*) > 0`,
        params,
      );
      return rows(r);
    }
    case "unanswered_question": {
      const { rows: r } = await db.query<Row>(
        `WITH q AS (
           SELECT m.content, m.created_at, b.conversation_id, ${questionKey("m.content")} AS k
           FROM messages b ${QUESTION_OF_REPLY} JOIN conversations c ON c.id = b.conversation_id
           WHERE b.declined AND b.created_at >= $1 AND b.created_at < $2 ${inboxScope("c.inbox_id", t, overridden, params)}
         )
         SELECT left(k, 200) AS subject, (array_agg(content ORDER BY created_at DESC))[1] AS label, count(*)::int AS value,
                array_agg(DISTINCT conversation_id) AS ids
         FROM q WHERE k <> '' GROUP BY left(k, 200)`,
        params,
      );
      return rows(r).map((m) => ({ ...m, label: redactText(m.label).text.slice(0, 300) }));
    }
  }
}
