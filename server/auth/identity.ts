import crypto from "node:crypto";
import type { SecretBox } from "../security/secretBox.ts";
import { safeEqual } from "../security/safeEqual.ts";

/**
 * Widget identity verification (as Intercom and Chatwoot do it): the bank's server
 * computes HMAC-SHA256(userId) with the inbox's secret and passes it to the widget;
 * we recompute it. A visitor without a valid hash stays anonymous.
 */
export function identityHash(userId: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(userId, "utf8").digest("hex");
}

export function verifyIdentityHash(userId: string, hash: string, secret: string): boolean {
  return /^[0-9a-f]{64}$/i.test(hash) && safeEqual(identityHash(userId, secret), hash.toLowerCase());
}

/**
 * The widget's signed e-mail address (`emailHash`): HMAC-SHA256 with the inbox's
 * identity secret of the customer id, a newline, and the address in lower case. Bound
 * to the customer id, so one customer's signed address cannot be replayed under
 * another's id. A verified address lets contacts merge (contacts/verifiedEmails.ts).
 */
export function emailIdentityHash(userId: string, email: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(`${userId}\n${email.trim().toLowerCase()}`, "utf8").digest("hex");
}

export function verifyEmailIdentityHash(userId: string, email: string, hash: string, secret: string): boolean {
  return /^[0-9a-f]{64}$/i.test(hash) && safeEqual(emailIdentityHash(userId, email, secret), hash.toLowerCase());
}

/** Inbox identity secrets are stored sealed (inboxes.identity_secret, security finding 7). */
const IDENTITY_SECRET = "inboxes.identity_secret";
export const sealIdentitySecret = (secrets: SecretBox, secret: string) => secrets.seal(secret, IDENTITY_SECRET);
export const openIdentitySecret = (secrets: SecretBox, stored: string) => secrets.open(stored, IDENTITY_SECRET);
export const resealIdentitySecret = (secrets: SecretBox, stored: string) => secrets.reseal(stored, IDENTITY_SECRET);

/** Opaque bearer tokens: the client keeps the token, the database only its hash. */
export function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
