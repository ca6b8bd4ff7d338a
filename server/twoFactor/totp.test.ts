import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode } from "./base32.ts";
import { newTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp, type TotpAlgorithm } from "./totp.ts";

// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to each hash's size, 8 digits.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from("12345678901234567890"),
  sha256: Buffer.from("12345678901234567890123456789012"),
  sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234"),
};
const VECTORS: Array<[number, string, TotpAlgorithm]> = [
  [59, "94287082", "sha1"],
  [59, "46119246", "sha256"],
  [59, "90693936", "sha512"],
  [1111111109, "07081804", "sha1"],
  [1111111109, "68084774", "sha256"],
  [1111111109, "25091201", "sha512"],
  [1111111111, "14050471", "sha1"],
  [1111111111, "67062674", "sha256"],
  [1111111111, "99943326", "sha512"],
  [1234567890, "89005924", "sha1"],
  [1234567890, "91819424", "sha256"],
  [1234567890, "93441116", "sha512"],
  [2000000000, "69279037", "sha1"],
  [2000000000, "90698825", "sha256"],
  [2000000000, "38618901", "sha512"],
  [20000000000, "65353130", "sha1"],
  [20000000000, "77737706", "sha256"],
  [20000000000, "47863826", "sha512"],
];

describe("TOTP (RFC 6238)", () => {
  it.each(VECTORS)("at %i s the %s code is %s", (seconds, expected, algorithm) => {
    expect(totpCode(SEEDS[algorithm], totpStep(seconds * 1000), 8, algorithm)).toBe(expected);
  });

  it("gives the 6-digit SHA-1 code authenticator apps show (the vector's last six digits)", () => {
    const secret = base32Encode(SEEDS.sha1);
    expect(secret).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(totpCode(base32Decode(secret), totpStep(59_000))).toBe("287082");
    expect(verifyTotp(secret, "287082", { nowMs: 59_000 })).toBe(1);
  });

  it("accepts one step either side of now and nothing further", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    const code = (s: number) => totpCode(base32Decode(secret), s);
    expect(verifyTotp(secret, code(step), { nowMs: now })).toBe(step);
    expect(verifyTotp(secret, code(step - 1), { nowMs: now })).toBe(step - 1);
    expect(verifyTotp(secret, code(step + 1), { nowMs: now })).toBe(step + 1);
    for (const far of [step - 2, step + 2, step - 20]) {
      if ([step - 1, step, step + 1].some((s) => code(s) === code(far))) continue; // a one-in-a-million collision
      expect(verifyTotp(secret, code(far), { nowMs: now })).toBeUndefined();
    }
  });

  it("refuses a code of a step already used, or older (replay)", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    const code = totpCode(base32Decode(secret), step);
    expect(verifyTotp(secret, code, { nowMs: now, afterStep: step - 1 })).toBe(step);
    expect(verifyTotp(secret, code, { nowMs: now, afterStep: step })).toBeUndefined();
    expect(verifyTotp(secret, totpCode(base32Decode(secret), step - 1), { nowMs: now, afterStep: step })).toBeUndefined();
  });

  it("refuses what is not six digits", () => {
    const secret = newTotpSecret();
    for (const bad of ["", "12345", "1234567", "abcdef", "12 34 5"]) expect(verifyTotp(secret, bad)).toBeUndefined();
  });

  it("makes 160-bit secrets and the otpauth URI apps read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = otpauthUri("lina.zhang@bank.example", secret);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/BankDesk:lina\\.zhang%40bank\\.example\\?secret=${secret}&issuer=BankDesk&`));
  });
});

describe("base32", () => {
  it("round-trips any bytes and ignores case, spaces and dashes", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    }
    expect(base32Decode("gezd gnbv-gy3t")).toEqual(base32Decode("GEZDGNBVGY3T"));
    expect(() => base32Decode("GEZ1")).toThrow();
  });
});
