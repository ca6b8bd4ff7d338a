import type { EarlyWarningAlert, EarlyWarningMetric } from "../../../shared/wire/index.ts";
import { percent } from "../format.ts";

export const METRIC_NAMES: Record<EarlyWarningMetric, string> = {
  complaints_per_category: "Complaints in one category",
  negative_share: "Share of negative conversations",
  sla_breaches: "SLA breaches",
  unanswered_question: "One unanswered question asked again and again",
};

/** "90" → "1 h 30 min", "1440" → "1 day". */
export function windowLabel(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "1 day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return `${minutes} min`;
}

/** A figure as its metric counts it: a share as a percentage, else a count. */
export function figure(metric: EarlyWarningMetric, value: number): string {
  return metric === "negative_share" ? percent(value) : String(Math.round(value * 100) / 100);
}

/** Where a threshold counts: one inbox, or the organisation's (every inbox without its own threshold of the metric). */
export function scopeLabel(t: { inboxName: string | null }): string {
  return t.inboxName ?? "All inboxes";
}

/** One line about an alert: what crossed, by how much, over which window. */
export function alertSummary(a: EarlyWarningAlert): string {
  const what = a.metric === "unanswered_question" ? `“${a.label}”` : a.label;
  return `${what}: ${figure(a.metric, a.value)} in ${windowLabel(a.windowMinutes)} (threshold ${figure(a.metric, a.threshold)})`;
}
