import type { Router } from "express";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";

export type ChannelKind = Exclude<InboxRow["channel"], "web">;

/** An inbox of a channel with its validated provider configuration (inboxes.channel_config). */
export interface ChannelInbox<C> {
  inbox: InboxRow;
  config: C;
}

/** A reply on its way to the customer through the provider. */
export interface OutboundReply<C> extends ChannelInbox<C> {
  conversation: ConversationRow;
  message: MessageRow;
  contact: ContactRow;
  /** How the provider knows the customer on this inbox (phone number, openid, e-mail address). */
  sourceId: string;
}

export interface SendResult {
  /** The provider's id for the sent message (Twilio SID, wamid, e-mail Message-ID), when it gives one. */
  providerId: string | null;
}

/**
 * One adapter per channel. Inbound: the adapter's webhook translates the provider's
 * request and calls `receiveChannelMessage` (the same commands as the widget).
 * Outbound: `send` delivers a reply; the delivery job around it retries and
 * records the status on the message.
 */
export interface ChannelAdapter<C = unknown> {
  readonly channel: ChannelKind;
  /** Validates inboxes.channel_config for this channel. */
  readonly configSchema: z.ZodType<C>;
  /** Config keys holding secrets: never presented, logged or written to the audit log. */
  readonly secretKeys: readonly string[];
  /** Config keys holding URLs we send to: checked against the outgoing-address policy when saved. */
  readonly destinationKeys?: readonly string[];
  send(ctx: AppContext, reply: OutboundReply<C>): Promise<SendResult>;
  /** Inbound endpoints, mounted under /webhooks with the raw body in `req.body` (a Buffer). */
  webhooks?(router: Router, ctx: AppContext): void;
}

/**
 * A failed provider call. `retryable` is false for errors that a retry cannot fix
 * (the provider refused the request: bad number, bad credentials), so the reply is
 * marked failed at once instead of after every backoff.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
    public readonly status?: number,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}
