import type { ChannelInboxRow } from "./channelInboxes.ts";
import type { ChannelAdapter } from "./ChannelAdapter.ts";

/** Where each channel's provider should call us (relative to PUBLIC_URL). */
const WEBHOOK_PATHS: Record<string, (slug: string) => string | null> = {
  email: (s) => `/webhooks/email/${s}`,
  sms: (s) => `/webhooks/twilio/${s}`,
  whatsapp: (s) => `/webhooks/whatsapp/${s}`,
  wechat: (s) => `/webhooks/wechat/${s}`,
  api: () => null,
};

/**
 * A channel inbox for admins: its provider settings with every secret replaced by
 * whether it is set, whether the settings are complete and usable, and the webhook
 * URL to give the provider.
 */
export function presentChannelInbox(inbox: ChannelInboxRow, adapter: ChannelAdapter<unknown>, configured: boolean, publicUrl?: string) {
  const config = inbox.channel_config ?? {};
  const shown = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, adapter.secretKeys.includes(k) ? { set: v !== undefined && v !== "" } : v]),
  );
  const path = WEBHOOK_PATHS[inbox.channel]?.(inbox.slug) ?? null;
  return {
    id: inbox.id,
    slug: inbox.slug,
    name: inbox.name,
    channel: inbox.channel,
    config: shown,
    configured,
    apiKeySet: inbox.api_key_hash !== null,
    webhookUrl: path ? `${(publicUrl ?? "").replace(/\/+$/, "")}${path}` : null,
  };
}
