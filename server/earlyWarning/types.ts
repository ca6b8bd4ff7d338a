import type { EarlyWarningMetric } from "../../shared/wire/index.ts";

/** early_warning_thresholds (migration 037). `threshold` is numeric: the driver returns it as a string. */
export interface ThresholdRow {
  id: string;
  name: string;
  metric: EarlyWarningMetric;
  threshold: string | number;
  window_minutes: number;
  min_conversations: number;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** early_warning_alerts, with its threshold's name and metric. */
export interface AlertRow {
  id: string;
  threshold_id: string;
  threshold_name: string;
  metric: EarlyWarningMetric;
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
