/** The events an outgoing webhook can subscribe to (domain events on the bus). */
export const WEBHOOK_EVENTS = [
  "conversation.created",
  "conversation.status_changed",
  "conversation.handoff",
  "message.created",
  "csat.created",
  "case.created",
  "case.status_changed",
  /** A complaint's clock used 80 % of its time (near_breach) or passed its deadline (breach). */
  "case.clock_alert",
  /** A conversation's first-response, next-response or resolution target passed its due time (server/sla/). */
  "conversation.sla_breach",
  /** An automation rule with a "send webhook event" action ran on a conversation (server/automation/). */
  "conversation.automation_fired",
  /** The customer's Net Promoter answer (0–10, "why?") after resolution (server/nps/). */
  "nps.created",
  /** An early-warning threshold was crossed, with the conversations behind it (server/earlyWarning/). */
  "early_warning.alert_raised",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  secret: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  attempt: number;
  success: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: Date;
}
