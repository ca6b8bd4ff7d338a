import type { Queryable } from "../db/Database.ts";

/**
 * The free text of a case's timeline entries, by kind (see the cases' commands): a
 * status change's note, an extension's reason, a letter's body, and the summary, root
 * cause and process change among a classification's or outcome's before/after values.
 * Everything else on the timeline (who, when, what kind, from/to status, dates,
 * severity, category and product ids, refund amount, apology) stays.
 */
const SCRUB_EVENT_TEXT = (data: string, kind: string) => `CASE ${kind}
    WHEN 'status_changed' THEN ${data} - 'note'
    WHEN 'deadline_extended' THEN ${data} - 'reason'
    WHEN 'letter_sent' THEN ${data} - 'text'
    WHEN 'classified' THEN ${data} #- '{changes,summary}' #- '{changes,rootCause}'
      #- '{changes,remedy,from,processChange}' #- '{changes,remedy,to,processChange}'
    WHEN 'outcome_recorded' THEN ${data} #- '{changes,summary}' #- '{changes,rootCause}'
      #- '{changes,remedy,from,processChange}' #- '{changes,remedy,to,processChange}'
    ELSE ${data} END`;

/** Active legal holds on a case's customer or on any conversation linked to it. */
export async function activeHoldsForCase(db: Queryable, caseId: string, contactId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM legal_holds
      WHERE released_at IS NULL
        AND (contact_id = $2 OR conversation_id IN (SELECT conversation_id FROM case_conversations WHERE case_id = $1))`,
    [caseId, contactId],
  );
  return rows[0]!.n;
}

/**
 * Anonymises one closed complaint case inside the caller's transaction (which has
 * locked it and checked its holds). What a regulator-style report counts stays: the
 * row, its reference, category, product, severity, status, dates and clocks, its
 * links to conversations, the letters sent (kind, language, when) and the remedy's
 * refund amount, currency and apology. The customer's words and the bank's prose go:
 * summary, root cause, the process change (only the fact that one was recorded stays,
 * so the report still counts it), a dispute's details, and the free text on the
 * timeline and in the case's audit entries (which repeat the timeline's data).
 * Returns how many timeline entries lost text.
 */
export async function anonymiseCase(tx: Queryable, caseId: string): Promise<{ eventsScrubbed: number }> {
  await tx.query(
    `UPDATE cases SET summary = '', root_cause = NULL, details = '{}',
            remedy = (remedy - 'processChange')
              || CASE WHEN coalesce(btrim(remedy->>'processChange'), '') <> '' THEN '{"processChangeRecorded": true}'::jsonb ELSE '{}'::jsonb END,
            anonymised_at = now(), updated_at = now()
      WHERE id = $1`,
    [caseId],
  );
  const events = await tx.query(
    `UPDATE case_events SET data = ${SCRUB_EVENT_TEXT("data", "kind")}
      WHERE case_id = $1 AND data IS DISTINCT FROM ${SCRUB_EVENT_TEXT("data", "kind")}`,
    [caseId],
  );
  // The audit entry of each step is `{reference, ...the timeline entry's data}` under action `case.<kind>`.
  await tx.query(
    `UPDATE audit_log SET data = ${SCRUB_EVENT_TEXT("data", "substr(action, 6)")}
      WHERE target_type = 'case' AND target_id = $1 AND action LIKE 'case.%'
        AND data IS DISTINCT FROM ${SCRUB_EVENT_TEXT("data", "substr(action, 6)")}`,
    [caseId],
  );
  return { eventsScrubbed: events.rowCount };
}
