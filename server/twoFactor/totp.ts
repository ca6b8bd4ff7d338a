import crypto from "node:crypto";
import { base32Decode, base32Encode } from "./base32.ts";
import { safeEqual } from "../security/safeEqual.ts";

/**
 * Time-based one-time passwords (RFC 6238) as every authenticator app makes them:
 * HMAC-SHA1 over the number of 30-second steps since 1970, truncated to 6 digits
 * (RFC 4226). About thirty lines with node:crypto, so no dependency; tested
 * against the RFC's own vectors.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now still accepted: a phone clock a little off, a code typed as it changed. */
export const TOTP_WINDOW = 1;
const SECRET_BYTES = 20; // 160 bits, the HMAC-SHA1 block's worth that RFC 4226 recommends

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

/** A new random secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return base32Encode(crypto.randomBytes(SECRET_BYTES));
}

/** The step a moment falls in. */
export function totpStep(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
}

/** The code of one step (HOTP with the step as counter). */
export function totpCode(secret: Buffer, step: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = "sha1"): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac(algorithm, secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/**
 * The step whose code `code` is, within TOTP_WINDOW steps of now and after
 * `afterStep` (the last step this agent used: a code is good once), or undefined.
 * Every candidate is compared in constant time.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  opts: { nowMs?: number; afterStep?: number | null } = {},
): number | undefined {
  const given = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(given)) return undefined;
  const secret = base32Decode(secretBase32);
  const now = totpStep(opts.nowMs);
  let matched: number | undefined;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const ok = safeEqual(totpCode(secret, step), given);
    if (ok && matched === undefined && (opts.afterStep == null || step > opts.afterStep)) matched = step;
  }
  return matched;
}

/** What authenticator apps scan or take as a link: `otpauth://totp/BankDesk:<email>?secret=…&issuer=BankDesk`. */
export function otpauthUri(email: string, secretBase32: string, issuer = "BankDesk"): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(email)}`;
  const query = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query}`;
}
