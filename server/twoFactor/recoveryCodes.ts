import crypto from "node:crypto";
import { base32Encode } from "./base32.ts";

/** How many one-time recovery codes an agent gets at a time. */
export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 10; // 80 bits: 16 base32 characters

/** New codes to show the agent once, as `ABCD-EFGH-JKLM-NPQR` (base32: no 0/O or 1/I to confuse). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => base32Encode(crypto.randomBytes(CODE_BYTES)).match(/.{4}/g)!.join("-"));
}

/** A code as typed, in the form it was hashed in: upper case, without spaces or dashes. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/**
 * What is stored of a code. Plain SHA-256 rather than scrypt like passwords: a code
 * is 80 random bits, not something a person chose, so there is no dictionary to run
 * and 2^80 guesses stay out of reach however fast the hash.
 */
export function hashRecoveryCode(code: string): string {
  return crypto.createHash("sha256").update(normaliseRecoveryCode(code)).digest("hex");
}

/** True when the text could be a recovery code at all (checked before any database work). */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[A-Z2-7]{16}$/.test(normaliseRecoveryCode(code));
}
