import type { Conversation } from "./conversations.ts";

/**
 * Early warning (server/earlyWarning/): thresholds an admin sets on a few service
 * metrics, and the alerts raised when one is crossed.
 */
export const EARLY_WARNING_METRICS = ["complaints_per_category", "negative_share", "sla_breaches", "unanswered_question"] as const;
export type EarlyWarningMetric = (typeof EARLY_WARNING_METRICS)[number];

export interface EarlyWarningThreshold {
  id: string;
  name: string;
  /** The inbox it watches; null: the organisation's, for every inbox without its own threshold of the metric. */
  inboxId: string | null;
  inboxName: string | null;
  metric: EarlyWarningMetric;
  /** A count; for negative_share a share from 0 to 1. */
  threshold: number;
  windowMinutes: number;
  /** negative_share only: fewer conversations in the window decide nothing. */
  minConversations: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface EarlyWarningAlert {
  id: string;
  thresholdId: string;
  thresholdName: string;
  /** The inbox whose figure crossed; null: the organisation's threshold. */
  inboxId: string | null;
  inboxName: string | null;
  metric: EarlyWarningMetric;
  /** What crossed, in words: a complaint category, a question, or the metric. */
  label: string;
  value: number;
  threshold: number;
  windowMinutes: number;
  /** The conversations behind the figure when it was raised. */
  conversationIds: string[];
  raisedAt: string;
  /** Set once the metric fell back below the threshold (the next crossing raises a new alert). */
  recoveredAt: string | null;
  acknowledgedAt: string | null;
}

/** GET /early-warning/alerts/{id}: one alert with the conversations behind it. */
export interface EarlyWarningAlertDetail {
  alert: EarlyWarningAlert;
  conversations: Conversation[];
}
