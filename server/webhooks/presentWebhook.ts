import type { WebhookDeliveryRow, WebhookRow } from "./types.ts";

/** A webhook for admins. The signing secret is never included: it is shown once, when created or rotated. */
export function presentWebhook(w: WebhookRow) {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events,
    active: w.active,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
  };
}

export function presentWebhookDelivery(d: WebhookDeliveryRow) {
  return {
    id: String(d.id),
    webhookId: d.webhook_id,
    eventId: d.event_id,
    event: d.event,
    attempt: d.attempt,
    success: d.success,
    statusCode: d.status_code,
    error: d.error,
    durationMs: d.duration_ms,
    createdAt: d.created_at,
  };
}
