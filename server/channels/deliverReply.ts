import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { JobInfo } from "../queue/JobQueue.ts";
import { ChannelError } from "./ChannelAdapter.ts";
import { adapterFor } from "./adapters.ts";
import { usableChannelConfig, type ChannelInboxRow } from "./channelInboxes.ts";
import { setDeliveryStatus, type DeliveryStatus } from "./deliveryStatus.ts";

export const DELIVER_JOB = "channels.deliver";

export interface DeliverJob {
  messageId: string;
}

const inboxChannels = new Map<string, string>();

/** An inbox's channel never changes, so it is looked up once per process. */
async function channelOf(ctx: AppContext, inboxId: string): Promise<string | undefined> {
  let channel = inboxChannels.get(inboxId);
  if (!channel) {
    const { rows } = await ctx.db.query<{ channel: string }>("SELECT channel FROM inboxes WHERE id = $1", [inboxId]);
    channel = rows[0]?.channel;
    if (channel) inboxChannels.set(inboxId, channel);
  }
  return channel;
}

/** True for what the customer should receive: an agent's or the bot's public reply. */
export function isCustomerReply(m: MessageRow): boolean {
  return m.message_type === "outgoing" && !m.private && (m.sender_type === "agent" || m.sender_type === "bot");
}

/**
 * On every reply in a conversation whose inbox is not the website: mark it queued
 * and enqueue its delivery. The job id is the message id, so it is queued once.
 */
export async function queueReplyDelivery(ctx: AppContext, conversation: ConversationRow, message: MessageRow): Promise<void> {
  if (!isCustomerReply(message)) return;
  const channel = await channelOf(ctx, conversation.inbox_id);
  if (!channel || !adapterFor(channel)) return;
  await setDeliveryStatus(ctx, message.id, { status: "queued", channel, attempts: 0 });
  try {
    await ctx.queue.enqueue<DeliverJob>(DELIVER_JOB, { messageId: message.id }, { jobId: `deliver:${message.id}` });
  } catch (err) {
    // Without a job nothing would ever send it: say so on the message rather than leave it "queued".
    ctx.logger.error({ err, messageId: message.id }, "could not queue a channel reply");
    await setDeliveryStatus(ctx, message.id, { status: "failed", channel, attempts: 0, error: "Could not queue the delivery" });
  }
}

/**
 * Sends one reply through its channel's adapter and records the outcome on the
 * message. A retryable failure throws so the queue retries it with backoff (the
 * status says `retrying`); the last attempt, or a failure no retry can fix, marks
 * it `failed` for the agents to see.
 */
export async function deliverReply(ctx: AppContext, data: DeliverJob, job: JobInfo, maxAttempts: number): Promise<void> {
  const { rows } = await ctx.db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [data.messageId]);
  const message = rows[0];
  if (!message) return; // deleted with its conversation
  const previous = (message.content_attributes?.delivery ?? {}) as Partial<DeliveryStatus>;
  // Already sent (a job re-run after the worker died between sending and finishing).
  if (previous.status && previous.status !== "queued" && previous.status !== "retrying") return;

  const conversation = (await ctx.db.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [message.conversation_id]))
    .rows[0];
  if (!conversation) return;
  const [inboxRes, contactRes, sourceRes] = await Promise.all([
    ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE id = $1", [conversation.inbox_id]),
    ctx.db.query<ContactRow>("SELECT * FROM contacts WHERE id = $1", [conversation.contact_id]),
    ctx.db.query<{ source_id: string }>(
      "SELECT source_id FROM contact_inboxes WHERE contact_id = $1 AND inbox_id = $2 ORDER BY source_id LIMIT 1",
      [conversation.contact_id, conversation.inbox_id],
    ),
  ]);
  const inbox = inboxRes.rows[0];
  const contact = contactRes.rows[0];
  const adapter = inbox && adapterFor(inbox.channel);
  if (!inbox || !contact || !adapter) return;
  const attempt = job.attemptsMade + 1;
  const status = { channel: inbox.channel, attempts: attempt };

  try {
    const config = usableChannelConfig(ctx, adapter, inbox);
    if (!config) throw new ChannelError(`The ${inbox.channel} inbox "${inbox.slug}" is not configured`, false);
    const sourceId = sourceRes.rows[0]?.source_id;
    if (!sourceId) throw new ChannelError("The contact has no address on this inbox", false);
    const result = await adapter.send(ctx, { inbox, config, conversation, message, contact, sourceId });
    if (result.providerId) {
      // Recorded so replies thread (e-mail) and receipts find the message (WhatsApp).
      await ctx.db.query(
        `INSERT INTO channel_messages (inbox_id, provider_id, direction, conversation_id, message_id)
         VALUES ($1, $2, 'out', $3, $4) ON CONFLICT DO NOTHING`,
        [inbox.id, result.providerId, conversation.id, message.id],
      );
    }
    await setDeliveryStatus(ctx, message.id, { ...status, status: "sent", providerId: result.providerId, error: null });
  } catch (err) {
    const retryable = !(err instanceof ChannelError) || err.retryable;
    const error = err instanceof ChannelError ? err.message : "Unexpected error while sending";
    const last = !retryable || attempt >= maxAttempts;
    await setDeliveryStatus(ctx, message.id, { ...status, status: last ? "failed" : "retrying", error });
    ctx.logger.warn(
      { messageId: message.id, channel: inbox.channel, inbox: inbox.slug, attempt, error, final: last },
      "channel reply not delivered",
    );
    // A permanent refusal is final now; anything else goes back to the queue (which
    // records the job in failed_jobs after its last attempt).
    if (retryable) throw err instanceof Error ? err : new Error(error);
  }
}
