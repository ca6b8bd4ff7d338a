import { describe, expect, it } from "vitest";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, RECOVERY_CODE_COUNT } from "./recoveryCodes.ts";

describe("recovery codes", () => {
  it("are ten distinct 80-bit codes in groups of four", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) {
      expect(c).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
      expect(looksLikeRecoveryCode(c)).toBe(true);
    }
  });

  it("hash the same however typed, and never to the code itself", () => {
    const [code] = newRecoveryCodes(1) as [string];
    const hash = hashRecoveryCode(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code.toLowerCase().replace(/-/g, " "))).toBe(hash);
    expect(hash).not.toContain(code.replace(/-/g, "").toLowerCase());
    expect(hashRecoveryCode(newRecoveryCodes(1)[0]!)).not.toBe(hash);
  });

  it("tell a recovery code from a TOTP code or junk", () => {
    expect(looksLikeRecoveryCode("123456")).toBe(false);
    expect(looksLikeRecoveryCode("ABCD-EFGH-JKLM-NPQ0")).toBe(false);
    expect(looksLikeRecoveryCode("abcd efgh jklm npqr")).toBe(true);
  });
});
