import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { SlaAlertLevel, SlaMetric, SlaPolicyRow } from "./types.ts";

export const SLA_CHECK_JOB = "sla.check_clocks";
/** How often workers look at the running targets (the shortest sensible target is minutes). */
export const SLA_CHECK_INTERVAL_MS = 60_000;
/** Alerts recorded per run at most: a backlog is worked off over the next runs, soonest due first. */
const BATCH = 500;

interface Due {
  conversation_id: string;
  policy_id: string;
  metric: SlaMetric;
  due_at: Date;
}

/**
 * Finds the running targets that reached 80 % of their time or their due time and
 * records each alert once (sla_alerts' key: conversation, target, level, due time);
 * a breach also marks the target breached on the conversation's row. Each recorded
 * alert is a domain event: `conversation.sla_near_breach` (consoles) or
 * `conversation.sla_breach` (consoles and the outgoing webhooks). Idempotent: several
 * workers, or a job retried after a crash, record and announce an alert once (the
 * insert decides). Returns the alerts it recorded.
 */
export async function checkSlaClocks(
  ctx: AppContext,
  now = new Date(),
): Promise<Array<{ conversationId: string; metric: SlaMetric; level: SlaAlertLevel }>> {
  const running = `FROM conversation_slas s JOIN conversations c ON c.id = s.conversation_id
                   WHERE c.status = 'open' AND s.policy_id IS NOT NULL`;
  const { rows } = await ctx.db.query<Due>(
    `SELECT * FROM (
       SELECT s.conversation_id, s.policy_id, 'first_response' AS metric, s.first_response_due_at AS due_at, s.first_response_near_at AS near_at
       ${running} AND s.first_response_at IS NULL AND s.first_response_near_at <= $1
       UNION ALL
       SELECT s.conversation_id, s.policy_id, 'next_response', s.next_response_due_at, s.next_response_near_at
       ${running} AND s.next_response_since IS NOT NULL AND s.next_response_near_at <= $1
       UNION ALL
       SELECT s.conversation_id, s.policy_id, 'resolution', s.resolution_due_at, s.resolution_near_at
       ${running} AND s.resolved_at IS NULL AND s.resolution_near_at <= $1
     ) d
     WHERE NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.conversation_id = d.conversation_id AND a.metric = d.metric
                         AND a.due_at = d.due_at AND a.level = CASE WHEN d.due_at <= $1 THEN 'breach' ELSE 'near_breach' END)
     ORDER BY d.due_at LIMIT ${BATCH}`,
    [now],
  );
  const recorded: Array<{ conversationId: string; metric: SlaMetric; level: SlaAlertLevel }> = [];
  for (const d of rows) {
    const level: SlaAlertLevel = d.due_at <= now ? "breach" : "near_breach";
    const inserted = await ctx.db.transaction(async (tx) => {
      const r = await tx.query(
        "INSERT INTO sla_alerts (conversation_id, policy_id, metric, level, due_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [d.conversation_id, d.policy_id, d.metric, level, d.due_at],
      );
      if (r.rowCount === 0) return undefined;
      if (level === "breach") {
        // The column is named after the metric, from a closed list (never from input).
        await tx.query(
          `UPDATE conversation_slas SET ${d.metric}_breached_at = COALESCE(${d.metric}_breached_at, $2), updated_at = now() WHERE conversation_id = $1`,
          [d.conversation_id, d.due_at],
        );
      }
      const conversation = await tx.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [d.conversation_id]);
      const policy = await tx.query<SlaPolicyRow>("SELECT * FROM sla_policies WHERE id = $1", [d.policy_id]);
      return { conversation: conversation.rows[0]!, policy: policy.rows[0]! };
    });
    if (!inserted) continue;
    recorded.push({ conversationId: d.conversation_id, metric: d.metric, level });
    const event = { ...inserted, metric: d.metric, dueAt: d.due_at };
    if (level === "breach") ctx.bus.emit("conversation.sla_breach", event);
    else ctx.bus.emit("conversation.sla_near_breach", event);
  }
  // Counts only: which conversations is in the database and the console, not the log.
  if (recorded.length) {
    ctx.logger.warn(
      {
        breaches: recorded.filter((r) => r.level === "breach").length,
        nearBreaches: recorded.filter((r) => r.level === "near_breach").length,
      },
      "conversations near or past their service-level targets",
    );
  }
  return recorded;
}
