import crypto from "node:crypto";

/**
 * Constant-time string comparison that tolerates different lengths: for secrets,
 * signatures and tokens (CSRF, webhook and channel signatures). Everything may use it.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  // Hash first so the comparison never leaks the length of the expected value.
  const hx = crypto.createHash("sha256").update(x).digest();
  const hy = crypto.createHash("sha256").update(y).digest();
  return crypto.timingSafeEqual(hx, hy) && x.length === y.length;
}
