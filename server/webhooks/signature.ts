import crypto from "node:crypto";
import { safeEqual } from "../security/safeEqual.ts";

/**
 * Signs outgoing webhook deliveries (and API-channel replies) the way Stripe does:
 * `X-BankDesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * The timestamp inside the signed data lets receivers refuse replays.
 */
export const SIGNATURE_HEADER = "X-BankDesk-Signature";

export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

/**
 * Verifies a signature header for a receiver (documented for the bank's own
 * systems, used by the tests): the HMAC must match and the timestamp be within
 * `toleranceSeconds` of now.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined | null,
  toleranceSeconds = 300,
  now = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now - t) > toleranceSeconds) return false;
  return safeEqual(signWebhook(secret, body, t), `t=${t},v1=${String(parts.v1).toLowerCase()}`);
}
