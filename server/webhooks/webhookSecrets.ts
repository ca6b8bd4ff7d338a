import crypto from "node:crypto";
import type { SecretBox } from "../security/secretBox.ts";

/** A new signing secret for an outgoing webhook. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString("base64url")}`;

/** Signing secrets are stored sealed (webhooks.secret, security finding 7). */
const WEBHOOK_SECRET = "webhooks.secret";
export const sealWebhookSecret = (secrets: SecretBox, secret: string) => secrets.seal(secret, WEBHOOK_SECRET);
export const openWebhookSecret = (secrets: SecretBox, stored: string) => secrets.open(stored, WEBHOOK_SECRET);
export const resealWebhookSecret = (secrets: SecretBox, stored: string) => secrets.reseal(stored, WEBHOOK_SECRET);

/** A URL for the audit log without its query string or user info (they may carry credentials). */
export function auditUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid)";
  }
}
