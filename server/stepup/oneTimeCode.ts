import crypto from "node:crypto";
import { safeEqual } from "../security/safeEqual.ts";

/** How long a code can be used after it was sent. */
export const CODE_TTL_MS = 5 * 60_000;
/** Wrong codes before the challenge is locked (a new request starts a new one). */
export const MAX_ATTEMPTS = 5;
/** Texts or e-mails of one challenge: the first and two resends. */
export const MAX_SENDS = 3;
/** The least time between two sends of one challenge. */
export const RESEND_AFTER_MS = 30_000;
/**
 * Challenges one conversation may open in an hour. Each sends a text the bank pays
 * for, to the customer's phone: a script asking for freezes in a loop must not turn
 * BankDesk into a way to flood a customer with texts (or the bank with a bill).
 */
export const MAX_CHALLENGES_PER_HOUR = 5;
export const CODE_DIGITS = 6;

/** A customer message that is only a code (typed into the chat instead of the code box). */
export const CODE_ONLY_MESSAGE = /^\s*\d{6}\s*$/;

/** Six digits from the operating system's CSPRNG (crypto.randomInt is uniform, without modulo bias). */
export function newCode(): string {
  return crypto
    .randomInt(0, 10 ** CODE_DIGITS)
    .toString()
    .padStart(CODE_DIGITS, "0");
}

/**
 * The stored form of a code: HMAC-SHA256 under a key derived from SECRET_KEY, over the
 * challenge id and the code. Keyed, because a million six-digit codes are hashed in a
 * second: a plain hash in a database dump would be the code. The challenge id binds
 * it to one challenge, so a hash copied to another row does not match there.
 */
export function codeHasher(secretKey: string): (challengeId: string, code: string) => string {
  const key = Buffer.from(crypto.hkdfSync("sha256", secretKey, "bankdesk", "step-up codes v1", 32));
  return (challengeId, code) => crypto.createHmac("sha256", key).update(`${challengeId}:${code}`).digest("hex");
}

/** A challenge as the lifecycle reads it. */
export interface ChallengeState {
  id: string;
  status: "pending" | "verified" | "locked" | "expired" | "superseded" | "undelivered";
  codeHash: string;
  attempts: number;
  expiresAt: Date;
}

export type Judgement =
  | { outcome: "verified"; attempts: number }
  | { outcome: "wrong"; attempts: number; attemptsLeft: number }
  /** The last allowed attempt was wrong, or it was locked before. */
  | { outcome: "locked"; attempts: number }
  | { outcome: "expired"; attempts: number }
  /** Verified before (a replay), replaced by a newer challenge, or never delivered. */
  | { outcome: "closed"; status: ChallengeState["status"]; attempts: number };

/**
 * One typed code against a challenge, at `now`: what happens to it. Pure (the caller
 * stores the result), so the lifecycle is tested with a fake clock. The comparison is
 * of the hex digests in constant time. An attempt on an expired or locked
 * challenge is not counted: it cannot succeed anyway.
 */
export function judgeCode(c: ChallengeState, code: string, now: Date, hash: (challengeId: string, code: string) => string): Judgement {
  if (c.status === "locked") return { outcome: "locked", attempts: c.attempts };
  if (c.status === "expired") return { outcome: "expired", attempts: c.attempts };
  if (c.status !== "pending") return { outcome: "closed", status: c.status, attempts: c.attempts };
  if (now.getTime() >= c.expiresAt.getTime()) return { outcome: "expired", attempts: c.attempts };
  const attempts = c.attempts + 1;
  if (safeEqual(hash(c.id, code), c.codeHash)) return { outcome: "verified", attempts };
  if (attempts >= MAX_ATTEMPTS) return { outcome: "locked", attempts };
  return { outcome: "wrong", attempts, attemptsLeft: MAX_ATTEMPTS - attempts };
}

/** Whether another code may be sent for a challenge now, and if not, why. */
export function canResend(
  c: { status: ChallengeState["status"]; sends: number; sentAt: Date },
  now: Date,
): { ok: true } | { ok: false; reason: "closed" | "too_many" | "too_soon"; retryAt?: Date } {
  if (c.status !== "pending" && c.status !== "expired") return { ok: false, reason: "closed" };
  if (c.sends >= MAX_SENDS) return { ok: false, reason: "too_many" };
  const retryAt = new Date(c.sentAt.getTime() + RESEND_AFTER_MS);
  if (now < retryAt) return { ok: false, reason: "too_soon", retryAt };
  return { ok: true };
}

/** How a destination is shown to the customer and agents: enough to recognise it, not to use it. */
export function maskDestination(kind: "phone" | "email", value: string): string {
  if (kind === "phone") return `•••• ${value.replace(/\D/g, "").slice(-4)}`;
  const [local = "", domain = ""] = value.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}
