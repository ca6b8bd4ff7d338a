import type { EarlyWarningMetric } from "../../shared/wire/index.ts";

/** early_warning_thresholds (migrations 037, 044). `threshold` is numeric: the driver returns it as a string. */
export interface ThresholdRow {
  id: string;
  name: string;
  /** The inbox it watches; null: the organisation's (every inbox without a threshold of its own for the metric). */
  inbox_id: string | null;
  /** Read with the inbox (THRESHOLD_SELECT). */
  inbox_name?: string | null;
  metric: EarlyWarningMetric;
  threshold: string | number;
  window_minutes: number;
  min_conversations: number;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** early_warning_alerts, with its threshold's name, metric and inbox. */
export interface AlertRow {
  id: string;
  threshold_id: string;
  threshold_name: string;
  metric: EarlyWarningMetric;
  /** The threshold's inbox; null for the organisation's. */
  inbox_id: string | null;
  inbox_name: string | null;
  subject: string;
  label: string;
  value: string | number;
  threshold: string | number;
  window_minutes: number;
  conversation_ids: string[];
  raised_at: Date;
  recovered_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}
