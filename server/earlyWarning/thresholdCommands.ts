import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { AppError, notFound } from "../errors.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { ThresholdChange, ThresholdInput } from "./thresholdInput.ts";
import type { AlertRow, ThresholdRow } from "./types.ts";
import { ALERT_SELECT, THRESHOLD_SELECT } from "./presentAlert.ts";
import type { Queryable } from "../db/Database.ts";

/** The fields as the audit log records them (as the admin wrote them). */
function auditable(t: ThresholdRow): ThresholdInput {
  return {
    name: t.name,
    inboxId: t.inbox_id,
    metric: t.metric,
    threshold: Number(t.threshold),
    windowMinutes: t.window_minutes,
    minConversations: t.min_conversations,
    active: t.active,
  };
}

/** A threshold as the API shows it: with its inbox's name. */
async function readThreshold(db: Queryable, id: string): Promise<ThresholdRow> {
  return (await db.query<ThresholdRow>(`${THRESHOLD_SELECT} WHERE t.id = $1`, [id])).rows[0]!;
}

/** Adds a threshold (admins; audited), the organisation's or one inbox's. */
export async function createThreshold(ctx: AppContext, props: { actor: Actor; input: ThresholdInput; ip?: string }): Promise<ThresholdRow> {
  authorize(canAdminister(props.actor));
  const p = props.input;
  return ctx.db.transaction(async (tx) => {
    if (p.inboxId && !(await tx.query("SELECT 1 FROM inboxes WHERE id = $1", [p.inboxId])).rowCount)
      throw new AppError("validation_error", "No such inbox", [{ path: "inboxId", message: "No such inbox" }]);
    const { rows } = await tx.query<ThresholdRow>(
      `INSERT INTO early_warning_thresholds (name, metric, threshold, window_minutes, min_conversations, active, created_by, inbox_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        p.name,
        p.metric,
        p.threshold,
        p.windowMinutes,
        p.minConversations,
        p.active,
        props.actor.type === "agent" ? props.actor.id : null,
        p.inboxId,
      ],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "early_warning_threshold.create",
      targetType: "early_warning_threshold",
      targetId: rows[0]!.id,
      data: { ...p },
      ip: props.ip,
    });
    return readThreshold(tx, rows[0]!.id);
  });
}

/** Changes a threshold (admins; audited as a diff). Its open alerts stay until the next check decides on the new figure. */
export async function updateThreshold(
  ctx: AppContext,
  props: { actor: Actor; id: string; change: ThresholdChange; ip?: string },
): Promise<ThresholdRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const before = (await tx.query<ThresholdRow>("SELECT * FROM early_warning_thresholds WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("Threshold");
    const current = auditable(before);
    const next: ThresholdInput = {
      ...current,
      ...Object.fromEntries(Object.entries(props.change).filter(([, v]) => v !== undefined)),
    };
    if (next.metric === "negative_share" && next.threshold > 1) {
      throw new AppError("validation_error", "A share of negative conversations is between 0 and 1 (0.3 is 30 %)", [
        { path: "threshold", message: "At most 1" },
      ]);
    }
    const changes = auditDiff(current as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return readThreshold(tx, before.id);
    await tx.query(
      `UPDATE early_warning_thresholds SET name = $2, threshold = $3, window_minutes = $4, min_conversations = $5, active = $6, updated_at = now()
       WHERE id = $1`,
      [before.id, next.name, next.threshold, next.windowMinutes, next.minConversations, next.active],
    );
    // A threshold switched off leaves no alert open behind it.
    if (!next.active)
      await tx.query("UPDATE early_warning_alerts SET recovered_at = now() WHERE threshold_id = $1 AND recovered_at IS NULL", [before.id]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "early_warning_threshold.update",
      targetType: "early_warning_threshold",
      targetId: before.id,
      data: { changes },
      ip: props.ip,
    });
    return readThreshold(tx, before.id);
  });
}

/** Deletes a threshold and its alerts (admins; audited with what it was). */
export async function deleteThreshold(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<ThresholdRow>("DELETE FROM early_warning_thresholds WHERE id = $1 RETURNING *", [props.id]);
    if (!rows[0]) throw notFound("Threshold");
    await writeAudit(tx, {
      actor: props.actor,
      action: "early_warning_threshold.delete",
      targetType: "early_warning_threshold",
      targetId: props.id,
      data: { ...auditable(rows[0]) },
      ip: props.ip,
    });
  });
}

/** An admin has seen an alert: it leaves the console's banner (still listed until it recovers). Audited. */
export async function acknowledgeAlert(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<AlertRow> {
  authorize(canAdminister(props.actor));
  const alert = await ctx.db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      "UPDATE early_warning_alerts SET acknowledged_at = COALESCE(acknowledged_at, now()), acknowledged_by = COALESCE(acknowledged_by, $2) WHERE id = $1",
      [props.id, props.actor.type === "agent" ? props.actor.id : null],
    );
    if (!rowCount) throw notFound("Alert");
    await writeAudit(tx, {
      actor: props.actor,
      action: "early_warning_alert.acknowledge",
      targetType: "early_warning_alert",
      targetId: props.id,
      ip: props.ip,
    });
    return (await tx.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [props.id])).rows[0]!;
  });
  ctx.bus.emit("early_warning.alert_changed", { alert });
  return alert;
}
