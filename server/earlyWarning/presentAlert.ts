import type { EarlyWarningAlert, EarlyWarningThreshold } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import type { AlertRow, ThresholdRow } from "./types.ts";

export function presentThreshold(t: ThresholdRow): Presented<EarlyWarningThreshold> {
  return {
    id: t.id,
    name: t.name,
    inboxId: t.inbox_id,
    inboxName: t.inbox_name ?? null,
    metric: t.metric,
    threshold: Number(t.threshold),
    windowMinutes: t.window_minutes,
    minConversations: t.min_conversations,
    active: t.active,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}

export function presentAlert(a: AlertRow): Presented<EarlyWarningAlert> {
  return {
    id: a.id,
    thresholdId: a.threshold_id,
    thresholdName: a.threshold_name,
    inboxId: a.inbox_id,
    inboxName: a.inbox_name,
    metric: a.metric,
    label: a.label,
    value: Number(a.value),
    threshold: Number(a.threshold),
    windowMinutes: a.window_minutes,
    conversationIds: a.conversation_ids,
    raisedAt: a.raised_at,
    recoveredAt: a.recovered_at,
    acknowledgedAt: a.acknowledged_at,
  };
}

/** An alert with its threshold's name, metric and inbox (every read of alerts goes through it). */
export const ALERT_SELECT = `SELECT a.*, t.name AS threshold_name, t.metric, t.inbox_id, i.name AS inbox_name FROM early_warning_alerts a
  JOIN early_warning_thresholds t ON t.id = a.threshold_id LEFT JOIN inboxes i ON i.id = t.inbox_id`;

/** A threshold with its inbox's name (every read of thresholds for the API goes through it). */
export const THRESHOLD_SELECT = `SELECT t.*, i.name AS inbox_name FROM early_warning_thresholds t LEFT JOIN inboxes i ON i.id = t.inbox_id`;
