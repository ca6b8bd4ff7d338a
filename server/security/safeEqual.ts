import crypto from "node:crypto";

/**
 * Constant-time comparison that tolerates different lengths: for secrets, signatures,
 * tokens and codes (CSRF, webhook and channel signatures, passwords' hashes, TOTP and
 * one-time codes). Everything may use it, and nothing else calls `timingSafeEqual`
 * (tests/architecture checks), so there is one comparison to get right.
 */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === "string" ? Buffer.from(a, "utf8") : a;
  const y = typeof b === "string" ? Buffer.from(b, "utf8") : b;
  // Hash first so the comparison never leaks the length of the expected value.
  const hx = crypto.createHash("sha256").update(x).digest();
  const hy = crypto.createHash("sha256").update(y).digest();
  return crypto.timingSafeEqual(hx, hy) && x.length === y.length;
}
