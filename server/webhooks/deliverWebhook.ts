import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import type { JobInfo } from "../queue/JobQueue.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import { presentWebhookEvent, type WebhookEventBody } from "./presentWebhookEvent.ts";
import { BlockedDestinationError } from "../security/destinations.ts";
import { SIGNATURE_HEADER, signWebhook } from "./signature.ts";
import { openWebhookSecret } from "./webhookSecrets.ts";
import type { WebhookEvent, WebhookRow } from "./types.ts";

export const WEBHOOK_JOB = "webhooks.deliver";

export interface WebhookJob {
  webhookId: string;
  body: WebhookEventBody;
}

/**
 * How long a process trusts its list of active webhooks. Changes made through this
 * process apply at once ("webhooks.changed"); other processes see them within this.
 * Without the list every message cost a query (eval/bench/load.ts).
 */
export const SUBSCRIPTIONS_TTL_MS = 5_000;

/**
 * The listeners of the domain events webhooks can receive (server/events/listeners.ts
 * subscribes them). The body is built once, when the event happens (so every webhook
 * and every retry send the same snapshot), and each subscribed webhook gets a job of
 * its own. `subscriptionsChanged` hears "webhooks.changed".
 */
export function webhookFanOut(ctx: AppContext) {
  let active: { at: number; rows: Promise<Array<{ id: string; events: string[] }>> } | undefined;
  const subscribed = async (event: WebhookEvent) => {
    if (!active || Date.now() - active.at > SUBSCRIPTIONS_TTL_MS) {
      const rows = ctx.db.query<{ id: string; events: string[] }>("SELECT id, events FROM webhooks WHERE active").then((r) => r.rows);
      const entry = { at: Date.now(), rows };
      active = entry;
      rows.catch(() => {
        if (active === entry) active = undefined; // asked again next time
      });
    }
    return (await active.rows).filter((w) => w.events.includes(event));
  };
  return {
    subscriptionsChanged: () => void (active = undefined),
    /** The listener of one webhook event. */
    deliver:
      <E extends WebhookEvent>(event: E) =>
      async (payload: DomainEvents[E]): Promise<void> => {
        // Private notes are staff-only; they never leave the bank through a webhook.
        if ("message" in payload && payload.message.private) return;
        const rows = await subscribed(event);
        if (rows.length === 0) return;
        const body = presentWebhookEvent(eventIdOf(event, payload), event, payload);
        for (const w of rows) {
          await ctx.queue.enqueue<WebhookJob>(WEBHOOK_JOB, { webhookId: w.id, body }, { jobId: `webhook:${w.id}:${body.id}` });
        }
      },
  };
}

/**
 * The delivery id of an event. A message's is derived from the message, so the
 * crash recovery below can tell whether its delivery was made and a receiver
 * can deduplicate one sent twice; other events get a fresh one.
 */
function eventIdOf<E extends WebhookEvent>(event: E, payload: DomainEvents[E]): string {
  return event === "message.created" ? messageEventId((payload as DomainEvents["message.created"]).message.id) : crypto.randomUUID();
}

/** A UUID derived from a message id (name-based, like UUID v5 with SHA-256); MESSAGE_EVENT_ID computes the same in SQL. */
export function messageEventId(messageId: string): string {
  const h = crypto.createHash("sha256").update(`message.created:${messageId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
export const MESSAGE_EVENT_ID = (
  id: string,
) => `(SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-5' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12))::uuid
     FROM encode(sha256(convert_to('message.created:' || ${id}::text, 'UTF8')), 'hex') AS h)`;

/** How far back a starting worker looks for messages whose delivery a crash may have lost. */
export const RECOVERY_WINDOW_MINUTES = 15;

/**
 * A message's delivery job is queued just after the message is stored; a process
 * killed in between (kill -9, power) loses it, with any queue. When a worker
 * starts, every recent message without a delivery attempt to a subscribed
 * webhook is queued again: a job still queued is not added twice (same job id),
 * and one that did run has its attempt in webhook_deliveries.
 */
export async function requeueUndeliveredMessages(ctx: AppContext): Promise<number> {
  const { rows } = await ctx.db.query<{ webhook_id: string; message: MessageRow; conversation: ConversationRow }>(
    `SELECT w.id AS webhook_id, to_jsonb(m) AS message, to_jsonb(c) AS conversation
     FROM webhooks w
     JOIN messages m ON m.created_at > now() - interval '${RECOVERY_WINDOW_MINUTES} minutes' AND m.created_at >= w.created_at AND NOT m.private
     JOIN conversations c ON c.id = m.conversation_id
     WHERE w.active AND 'message.created' = ANY(w.events)
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.event_id = ${MESSAGE_EVENT_ID("m.id")})
     ORDER BY m.created_at`,
  );
  let queued = 0;
  for (const row of rows) {
    const eventId = messageEventId(row.message.id);
    const payload = { message: reviveDates(row.message), conversation: reviveDates(row.conversation) };
    const body = presentWebhookEvent(eventId, "message.created", payload, new Date(row.message.created_at));
    await ctx.queue.enqueue<WebhookJob>(
      WEBHOOK_JOB,
      { webhookId: row.webhook_id, body },
      { jobId: `webhook:${row.webhook_id}:${eventId}` },
    );
    queued++;
  }
  if (queued) ctx.logger.warn({ count: queued }, "re-queued webhook deliveries of messages a crash may have lost");
  return queued;
}

/** Timestamps read back through to_jsonb are strings; rows elsewhere carry Dates. */
function reviveDates<T extends object>(row: T): T {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === "string" && k.endsWith("_at") && !Number.isNaN(Date.parse(v)) ? new Date(v) : v]),
  ) as T;
}

/**
 * POSTs one event to one webhook, signed (X-BankDesk-Signature), and logs the
 * attempt in webhook_deliveries. A non-2xx answer or a network error throws, so
 * the queue retries with backoff; a webhook deleted or paused meanwhile is skipped.
 */
export async function deliverWebhook(ctx: AppContext, data: WebhookJob, job: JobInfo): Promise<void> {
  const { rows } = await ctx.db.query<WebhookRow>("SELECT * FROM webhooks WHERE id = $1", [data.webhookId]);
  const webhook = rows[0];
  if (!webhook || !webhook.active) return;
  const body = JSON.stringify(data.body);
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let retryable = true;
  try {
    const res = await ctx.outbound.request(webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "BankDesk-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhook(openWebhookSecret(ctx.secrets, webhook.secret), body),
        "X-BankDesk-Event": data.body.event,
        "X-BankDesk-Delivery": data.body.id,
      },
      body,
      timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
    });
    statusCode = res.status;
    await res.body?.cancel().catch(() => {});
    // The status only: the receiver's body is never stored (admins read this log).
    if (res.status >= 300 && res.status < 400) error = `The receiver answered ${res.status} (a redirect, not followed)`;
    else if (res.status < 200 || res.status >= 300) error = `The receiver answered ${res.status}`;
  } catch (err) {
    // A forbidden address is a setting to fix, not a passing fault: logged, not retried.
    if (err instanceof BlockedDestinationError) retryable = false;
    error =
      err instanceof BlockedDestinationError
        ? "The URL points at an address outgoing requests may not reach"
        : (err as Error)?.name === "TimeoutError"
          ? "Timed out"
          : "Could not connect";
  }
  await ctx.db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, success, status_code, error, duration_ms, conversation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      webhook.id,
      data.body.id,
      data.body.event,
      job.attemptsMade + 1,
      error === null,
      statusCode,
      error,
      Date.now() - started,
      conversationIdOf(data.body),
    ],
  );
  if (error && retryable) throw new Error(error);
}

/** The conversation a delivery was about, so retention removes its log with it (server/retention). */
function conversationIdOf(body: WebhookEventBody): string | null {
  const id = (body.data.conversation as { id?: unknown } | undefined)?.id;
  return typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}
