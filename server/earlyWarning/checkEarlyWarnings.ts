import type { AppContext } from "../context.ts";
import { decideCrossings } from "./decideCrossings.ts";
import { measure } from "./measure.ts";
import { ALERT_SELECT } from "./presentAlert.ts";
import type { AlertRow, ThresholdRow } from "./types.ts";

export const EARLY_WARNING_JOB = "early_warning.check";
/** How often workers compare the thresholds with their metrics. */
export const EARLY_WARNING_INTERVAL_MS = 60_000;

/**
 * Compares every active threshold with its metric over its window (an inbox's in that
 * inbox; the organisation's in every inbox without its own threshold of the metric,
 * measure.ts): raises an alert
 * for each subject that crossed it (`early_warning.alert_raised`: the admins'
 * consoles and the outgoing webhooks) and recovers the alerts whose subject fell back
 * (`early_warning.alert_changed`). Once per crossing, with several workers too: the
 * open alert's unique index (threshold, subject) decides who records it. A threshold
 * that fails to measure is logged and the others still run. Returns what it raised
 * and recovered.
 */
export async function checkEarlyWarnings(ctx: AppContext, now = new Date()): Promise<{ raised: AlertRow[]; recovered: AlertRow[] }> {
  const { rows: thresholds } = await ctx.db.query<ThresholdRow>("SELECT * FROM early_warning_thresholds WHERE active ORDER BY created_at");
  // Per metric, the inboxes with an active threshold of their own: the organisation's thresholds of that metric leave them out.
  const overridden = new Map<string, string[]>();
  for (const t of thresholds) if (t.inbox_id) overridden.set(t.metric, [...(overridden.get(t.metric) ?? []), t.inbox_id]);
  const raised: AlertRow[] = [];
  const recovered: AlertRow[] = [];
  for (const t of thresholds) {
    try {
      const measured = await measure(ctx.db, t, now, t.inbox_id ? [] : [...new Set(overridden.get(t.metric))]);
      const open = await ctx.db.query<{ id: string; subject: string }>(
        "SELECT id, subject FROM early_warning_alerts WHERE threshold_id = $1 AND recovered_at IS NULL",
        [t.id],
      );
      const { raise, recover } = decideCrossings(Number(t.threshold), measured, open.rows);
      for (const m of raise) {
        const { rows } = await ctx.db.query<{ id: string }>(
          `INSERT INTO early_warning_alerts (threshold_id, subject, label, value, threshold, window_minutes, conversation_ids, raised_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8)
           ON CONFLICT (threshold_id, subject) WHERE recovered_at IS NULL DO NOTHING RETURNING id`,
          [t.id, m.subject, m.label, m.value, t.threshold, t.window_minutes, m.conversationIds, now],
        );
        if (rows[0]) raised.push((await ctx.db.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [rows[0].id])).rows[0]!);
      }
      if (recover.length) {
        const { rows } = await ctx.db.query<{ id: string }>(
          "UPDATE early_warning_alerts SET recovered_at = $2 WHERE id = ANY($1::uuid[]) AND recovered_at IS NULL RETURNING id",
          [recover, now],
        );
        for (const r of rows) recovered.push((await ctx.db.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [r.id])).rows[0]!);
      }
    } catch (err) {
      ctx.logger.error({ err, thresholdId: t.id, metric: t.metric }, "could not check an early-warning threshold");
    }
  }
  for (const alert of raised) ctx.bus.emit("early_warning.alert_raised", { alert });
  for (const alert of recovered) ctx.bus.emit("early_warning.alert_changed", { alert });
  // Which subjects and conversations is in the database and the console, not the log.
  if (raised.length) ctx.logger.warn({ raised: raised.length }, "early-warning thresholds crossed");
  return { raised, recovered };
}
