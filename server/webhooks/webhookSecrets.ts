import crypto from "node:crypto";

/** A new signing secret for an outgoing webhook. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString("base64url")}`;

/** A URL for the audit log without its query string or user info (they may carry credentials). */
export function auditUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid)";
  }
}
