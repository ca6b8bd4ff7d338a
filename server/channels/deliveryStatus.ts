import type { AppContext } from "../context.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";

/**
 * A channel reply's delivery status, kept on the message as
 * `content_attributes.delivery` so the console shows it beside the reply.
 * `queued` → `sent` (→ `delivered` → `read` when the provider reports it), or
 * `retrying` while attempts remain and `failed` when they are exhausted.
 */
export type DeliveryState = "queued" | "retrying" | "sent" | "delivered" | "read" | "failed";

export interface DeliveryStatus {
  status: DeliveryState;
  channel: string;
  attempts: number;
  providerId?: string | null;
  error?: string | null;
  updatedAt: string;
}

/** Writes the status and tells the agents (message.updated → their sockets). */
export async function setDeliveryStatus(
  ctx: AppContext,
  messageId: string,
  delivery: Omit<DeliveryStatus, "updatedAt">,
): Promise<MessageRow | undefined> {
  const value: DeliveryStatus = { ...delivery, updatedAt: new Date().toISOString() };
  const { rows } = await ctx.db.query<MessageRow>(
    `UPDATE messages SET content_attributes = jsonb_set(content_attributes, '{delivery}', $2::jsonb) WHERE id = $1 RETURNING *`,
    [messageId, JSON.stringify(value)],
  );
  const message = rows[0];
  if (message) await announce(ctx, message);
  return message;
}

async function announce(ctx: AppContext, message: MessageRow): Promise<void> {
  const { rows } = await ctx.db.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [message.conversation_id]);
  if (rows[0]) ctx.bus.emit("message.updated", { conversation: rows[0], message });
}

const PROGRESS: Record<DeliveryState, number> = { queued: 0, retrying: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * A provider's receipt for one of our replies (WhatsApp `statuses`): moves the
 * status forward only (a late `delivered` does not undo `read`).
 */
export async function applyDeliveryReceipt(
  ctx: AppContext,
  inboxId: string,
  providerId: string,
  status: "sent" | "delivered" | "read" | "failed",
  error?: string,
): Promise<void> {
  const { rows } = await ctx.db.query<MessageRow>(
    `SELECT m.* FROM channel_messages cm JOIN messages m ON m.id = cm.message_id
     WHERE cm.inbox_id = $1 AND cm.provider_id = $2 AND cm.direction = 'out'`,
    [inboxId, providerId],
  );
  const message = rows[0];
  if (!message) return;
  const current = (message.content_attributes?.delivery ?? {}) as Partial<DeliveryStatus>;
  if (current.status && PROGRESS[current.status] >= PROGRESS[status] && status !== "failed") return;
  await setDeliveryStatus(ctx, message.id, {
    status,
    channel: current.channel ?? "unknown",
    attempts: current.attempts ?? 1,
    providerId,
    error: status === "failed" ? (error ?? "The provider reported a failure") : null,
  });
}
