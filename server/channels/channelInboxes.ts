import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { AppContext } from "../context.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { AppError } from "../errors.ts";
import type { ChannelAdapter, ChannelInbox } from "./ChannelAdapter.ts";
import { onDemand } from "../onDemand.ts";

// Express (~15 MB of idle RSS, imported alone here) is loaded when a web process mounts the
// webhooks, not in a worker, which imports this module for deliveries.
const express = onDemand<typeof import("express")>("express");

/** An inbox row with the columns added for channels (migration 008). */
export type ChannelInboxRow = InboxRow & { channel_config: Record<string, unknown>; api_key_hash: string | null };

/** Every inbox of a channel other than the web widget, oldest first. */
export async function listChannelInboxes(ctx: AppContext): Promise<ChannelInboxRow[]> {
  const { rows } = await ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE channel <> 'web' ORDER BY created_at, slug");
  return rows;
}

/** The API-channel inbox whose API key hashes to this. */
export async function findApiInboxByKeyHash(ctx: AppContext, keyHash: string): Promise<ChannelInboxRow | undefined> {
  const { rows } = await ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE api_key_hash = $1 AND channel = 'api'", [keyHash]);
  return rows[0];
}

/**
 * The inbox a webhook is for: the one named in the path (`/webhooks/twilio/:inbox`)
 * or, without a name, the oldest inbox of that channel (the default inbox). Its
 * provider configuration is validated here; an inbox without a usable one cannot
 * verify signatures, so it refuses every request.
 */
export async function loadChannelInbox<C>(ctx: AppContext, adapter: ChannelAdapter<C>, slug?: string): Promise<ChannelInbox<C>> {
  const { rows } = await ctx.db.query<ChannelInboxRow>(
    `SELECT * FROM inboxes WHERE channel = $1 AND ($2::text IS NULL OR slug = $2) ORDER BY created_at, id LIMIT 1`,
    [adapter.channel, slug ?? null],
  );
  const inbox = rows[0];
  if (!inbox) throw new AppError("not_found", `No ${adapter.channel} inbox${slug ? ` "${slug}"` : ""}`);
  return { inbox, config: parseChannelConfig(ctx, adapter, inbox) };
}

/**
 * Every configured inbox of a channel, oldest first: for providers whose one
 * webhook URL serves several inboxes (a Meta app with several WhatsApp numbers).
 */
export async function loadChannelInboxes<C>(ctx: AppContext, adapter: ChannelAdapter<C>): Promise<Array<ChannelInbox<C>>> {
  const { rows } = await ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE channel = $1 ORDER BY created_at, id", [
    adapter.channel,
  ]);
  return rows.flatMap((inbox) => {
    const config = usableChannelConfig(ctx, adapter, inbox);
    return config ? [{ inbox, config }] : [];
  });
}

/** An inbox's provider settings, secrets decrypted; an inbox without usable ones refuses the request. */
export function parseChannelConfig<C>(ctx: AppContext, adapter: ChannelAdapter<C>, inbox: ChannelInboxRow): C {
  const config = usableChannelConfig(ctx, adapter, inbox);
  if (!config) throw new AppError("not_found", `The ${adapter.channel} inbox "${inbox.slug}" is not configured`);
  return config;
}

/** The validated settings with secrets decrypted, or undefined when they are incomplete or do not decrypt (logged). */
export function usableChannelConfig<C>(ctx: AppContext, adapter: ChannelAdapter<C>, inbox: ChannelInboxRow): C | undefined {
  let config: Record<string, unknown>;
  try {
    config = openChannelConfig(ctx, adapter, inbox.channel_config);
  } catch (err) {
    ctx.logger.error({ inbox: inbox.slug, err: (err as Error).message }, "channel credentials do not decrypt (SECRET_KEY?)");
    return undefined;
  }
  const parsed = adapter.configSchema.safeParse(config);
  return parsed.success ? parsed.data : undefined;
}

/** What a secret setting is bound to when sealed (a value copied to another field does not open). */
const secretPurpose = (adapter: ChannelAdapter<unknown>, key: string) => `inboxes.channel_config.${adapter.channel}.${key}`;

/** Stored settings with their secret fields decrypted (security finding 7: they are stored sealed). */
export function openChannelConfig(
  ctx: AppContext,
  adapter: ChannelAdapter<unknown>,
  stored: Record<string, unknown> | null,
): Record<string, unknown> {
  const config = { ...(stored ?? {}) };
  for (const key of adapter.secretKeys) {
    const value = config[key];
    if (typeof value === "string") config[key] = ctx.secrets.open(value, secretPurpose(adapter, key));
  }
  return config;
}

/** Settings to store: their secret fields sealed with the current key (fields already sealed by it stay as they are). */
export function sealChannelConfig(
  ctx: AppContext,
  adapter: ChannelAdapter<unknown>,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const sealed = { ...config };
  for (const key of adapter.secretKeys) {
    const value = sealed[key];
    if (typeof value === "string") sealed[key] = ctx.secrets.reseal(value, secretPurpose(adapter, key));
  }
  return sealed;
}

/** The raw request body as a Buffer (signatures are computed over the exact bytes). */
export function rawBody(limit: number | string): RequestHandler {
  return express().raw({ type: () => true, limit });
}

/** Express 5 forwards rejected promises, but we keep the wrapper explicit for clarity of intent. */
export function handle(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/** The request body as a Buffer; an empty or missing body is malformed. */
export function bodyOf(req: Request): Buffer {
  const body = req.body as unknown;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError("validation_error", "The request body is empty");
  return body;
}

/**
 * Refuses a request whose signature or token does not verify: 401, logged with
 * the channel, inbox and client address but never the secret or the signature.
 */
export function refuse(ctx: AppContext, req: Request, channel: string, inbox: InboxRow, reason: string): never {
  ctx.logger.warn({ channel, inbox: inbox.slug, ip: req.ip, path: req.path, reason }, "webhook refused");
  throw new AppError("unauthenticated", reason);
}

/** The URL the provider called, as it saw it (Twilio signs it): PUBLIC_URL when set, else this request's host. */
export function publicRequestUrl(ctx: AppContext, req: Request): string {
  const base = (ctx.config.PUBLIC_URL ?? `${req.protocol}://${req.get("host")}`).replace(/\/+$/, "");
  return base + req.originalUrl;
}

/** Long provider messages are cut rather than refused: refusing would make the provider retry forever. */
export function fitMessage(ctx: AppContext, text: string): string {
  const max = ctx.config.MAX_MESSAGE_LENGTH;
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}
