import type { Queryable } from "../db/Database.ts";
import type { WebhookDeliveryRow, WebhookRow } from "./types.ts";

/** Every webhook, oldest first. */
export async function listWebhooks(db: Queryable): Promise<WebhookRow[]> {
  const { rows } = await db.query<WebhookRow>("SELECT * FROM webhooks ORDER BY created_at");
  return rows;
}

export async function findWebhook(db: Queryable, id: string): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>("SELECT * FROM webhooks WHERE id = $1", [id]);
  return rows[0];
}

/** A webhook's delivery attempts, newest first; `before`: only attempts older than that delivery id. */
export async function listWebhookDeliveries(
  db: Queryable,
  webhookId: string,
  page: { before?: number; limit: number },
): Promise<WebhookDeliveryRow[]> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [webhookId, page.before ?? null, page.limit],
  );
  return rows;
}
