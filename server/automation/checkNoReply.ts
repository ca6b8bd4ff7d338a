import type { AppContext } from "../context.ts";
import { AUTOMATION_JOB, type AutomationJob } from "./automationTriggers.ts";

export const NO_REPLY_CHECK_JOB = "automation.check_no_reply";
/** How often workers look for customers left waiting (rules count hours). */
export const NO_REPLY_CHECK_INTERVAL_MS = 60_000;
/**
 * A wait is looked at for this long after it passed a rule's hours: runs every
 * minute catch it at once, and a worker down for less than this still does. A
 * conversation the rule's conditions do not match is not looked at for ever.
 */
const CATCH_UP_MINUTES = 15;
/** Conversations per rule per run at most: a backlog is worked off over the next runs, longest waiting first. */
const BATCH = 200;

/**
 * The time-based event `no_reply`: for each active rule waiting for it, the open
 * conversations whose customer has waited its hours without a customer-facing reply
 * (`waiting_since`: set by the customer's message, cleared by an agent's public
 * reply; snoozed conversations are not waiting on anyone). Each wait is one event
 * (its key is the wait's start), queued as a rule run; a run already recorded is not
 * queued again. Returns how many were queued.
 */
export async function checkNoReply(ctx: AppContext, now = new Date()): Promise<number> {
  const { rows: rules } = await ctx.db.query<{ id: string; no_reply_hours: string }>(
    "SELECT id, no_reply_hours FROM automation_rules WHERE active AND event = 'no_reply'",
  );
  let queued = 0;
  for (const rule of rules) {
    const minutes = Number(rule.no_reply_hours) * 60;
    const { rows } = await ctx.db.query<{ id: string; event_key: string }>(
      `SELECT id, event_key FROM (
         SELECT c.id, c.waiting_since, 'no_reply:' || c.id || ':' || floor(extract(epoch FROM c.waiting_since) * 1000)::bigint AS event_key
         FROM conversations c
         WHERE c.status = 'open' AND c.waiting_since IS NOT NULL
           AND c.waiting_since <= $1::timestamptz - make_interval(mins => $2)
           AND c.waiting_since > $1::timestamptz - make_interval(mins => $2 + $3)
       ) w
       WHERE NOT EXISTS (SELECT 1 FROM automation_rule_runs r WHERE r.rule_id = $4 AND r.event_key = w.event_key)
       ORDER BY w.waiting_since LIMIT ${BATCH}`,
      [now, minutes, CATCH_UP_MINUTES, rule.id],
    );
    for (const c of rows) {
      await ctx.queue.enqueue<AutomationJob>(
        AUTOMATION_JOB,
        { event: "no_reply", eventKey: c.event_key, conversationId: c.id, ruleId: rule.id, chain: [] },
        { jobId: `automation:${rule.id}:${c.event_key}` },
      );
      queued++;
    }
  }
  return queued;
}
