import { describe, expect, it } from "vitest";
import {
  canResend,
  codeHasher,
  CODE_TTL_MS,
  judgeCode,
  maskDestination,
  MAX_ATTEMPTS,
  MAX_SENDS,
  newCode,
  RESEND_AFTER_MS,
  type ChallengeState,
} from "./oneTimeCode.ts";

/** The code's lifecycle on a fake clock: every `now` is given, nothing reads the real one. */
const hash = codeHasher("x".repeat(64));
const T0 = new Date("2026-12-06T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const challenge = (code: string, over: Partial<ChallengeState> = {}): ChallengeState => ({
  id: "11111111-1111-4111-8111-111111111111",
  status: "pending",
  codeHash: hash("11111111-1111-4111-8111-111111111111", code),
  attempts: 0,
  expiresAt: at(CODE_TTL_MS),
  ...over,
});

describe("one-time codes", () => {
  it("are six digits from the CSPRNG, spread over the whole range", () => {
    const codes = Array.from({ length: 2000 }, newCode);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    // Leading zeros are kept (a tenth of codes start with 0).
    expect(codes.filter((c) => c.startsWith("0")).length).toBeGreaterThan(100);
  });

  it("are stored as a keyed hash bound to the challenge: another key or another challenge gives another hash", () => {
    const h = hash("c1", "123456");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain("123456");
    expect(hash("c2", "123456")).not.toBe(h);
    expect(codeHasher("y".repeat(64))("c1", "123456")).not.toBe(h);
  });

  it("verify the right code before it expires, and not one millisecond after", () => {
    expect(judgeCode(challenge("042917"), "042917", at(CODE_TTL_MS - 1), hash)).toEqual({ outcome: "verified", attempts: 1 });
    expect(judgeCode(challenge("042917"), "042917", at(CODE_TTL_MS), hash)).toEqual({ outcome: "expired", attempts: 0 });
    expect(judgeCode(challenge("042917", { status: "expired" }), "042917", at(0), hash).outcome).toBe("expired");
  });

  it("count wrong codes and lock on the fifth; a locked challenge refuses even the right code", () => {
    let c = challenge("555000");
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      const j = judgeCode(c, "000555", at(1000 * i), hash);
      expect(j).toEqual({ outcome: "wrong", attempts: i, attemptsLeft: MAX_ATTEMPTS - i });
      c = { ...c, attempts: i };
    }
    expect(judgeCode(c, "000555", at(10_000), hash)).toEqual({ outcome: "locked", attempts: MAX_ATTEMPTS });
    c = { ...c, status: "locked", attempts: MAX_ATTEMPTS };
    expect(judgeCode(c, "555000", at(11_000), hash)).toEqual({ outcome: "locked", attempts: MAX_ATTEMPTS });
  });

  it("refuse a replay: a verified, superseded or undelivered challenge is closed", () => {
    for (const status of ["verified", "superseded", "undelivered"] as const) {
      expect(judgeCode(challenge("123456", { status, attempts: 1 }), "123456", at(1), hash)).toEqual({
        outcome: "closed",
        status,
        attempts: 1,
      });
    }
  });

  it("are resent at most twice, 30 seconds apart, and never for a closed challenge", () => {
    const c = { status: "pending" as const, sends: 1, sentAt: T0 };
    expect(canResend(c, at(RESEND_AFTER_MS - 1))).toEqual({ ok: false, reason: "too_soon", retryAt: at(RESEND_AFTER_MS) });
    expect(canResend(c, at(RESEND_AFTER_MS))).toEqual({ ok: true });
    // An expired code can be replaced: that is what "send a new code" is for.
    expect(canResend({ ...c, status: "expired" }, at(CODE_TTL_MS + 1))).toEqual({ ok: true });
    expect(canResend({ ...c, sends: MAX_SENDS }, at(CODE_TTL_MS))).toEqual({ ok: false, reason: "too_many" });
    for (const status of ["verified", "locked", "superseded", "undelivered"] as const) {
      expect(canResend({ ...c, status }, at(CODE_TTL_MS))).toEqual({ ok: false, reason: "closed" });
    }
  });

  it("show where they went without giving the number or address away", () => {
    expect(maskDestination("phone", "+8613800138001")).toBe("•••• 8001");
    expect(maskDestination("email", "wang.fang@example.com")).toBe("w•••@example.com");
  });
});
