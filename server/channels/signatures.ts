import crypto from "node:crypto";
import { safeEqual } from "../security/safeEqual.ts";

/**
 * The providers' webhook signature schemes, as pure functions. Each verifier
 * compares in constant time and returns false (never throws) on malformed input.
 */

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the account's auth
 * token, of the full URL Twilio called followed by every POST parameter sorted by
 * name, each as name + value (a repeated name contributes each distinct value, sorted).
 */
export function twilioSignature(url: string, params: URLSearchParams | Array<[string, string]>, authToken: string): string {
  const pairs = [...params].sort(([a, va], [b, vb]) => (a < b ? -1 : a > b ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  let data = url;
  let previous: [string, string] | undefined;
  for (const pair of pairs) {
    // Twilio's SDKs sign each distinct name/value pair once.
    if (previous && previous[0] === pair[0] && previous[1] === pair[1]) continue;
    data += pair[0] + pair[1];
    previous = pair;
  }
  return crypto.createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export function verifyTwilioSignature(url: string, params: URLSearchParams, authToken: string, header: string | undefined): boolean {
  if (!header) return false;
  return safeEqual(twilioSignature(url, params, authToken), header);
}

/** WhatsApp Cloud API (Meta) X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. */
export function metaSignature(rawBody: Buffer, appSecret: string): string {
  return "sha256=" + crypto.createHmac("sha256", appSecret).update(rawBody).digest("hex");
}

export function verifyMetaSignature(rawBody: Buffer, appSecret: string, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return safeEqual(metaSignature(rawBody, appSecret), header.toLowerCase());
}

/** WeChat Official Account: hex SHA-1 of token, timestamp and nonce sorted as strings and concatenated. */
export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return crypto.createHash("sha1").update([token, timestamp, nonce].sort().join("")).digest("hex");
}

export function verifyWechatSignature(token: string, q: { signature?: string; timestamp?: string; nonce?: string }): boolean {
  if (!q.signature || !q.timestamp || !q.nonce) return false;
  return safeEqual(wechatSignature(token, q.timestamp, q.nonce), q.signature.toLowerCase());
}
