import type { Config } from "../config.ts";

/** What the bank requires of how the provider authenticated the user (OIDC_ACR_VALUES, OIDC_AMR_VALUES). */
export interface StrengthRequirement {
  /** Accepted `acr` values; empty: acr not checked. */
  acr: string[];
  /** `amr` methods of which the token must name one; empty: amr not checked. */
  amr: string[];
}

/** The verdict on one ID token. */
export interface StrengthVerdict {
  /** The token meets the requirement (always, when nothing is required). */
  accepted: boolean;
  /**
   * The provider asserted a second factor: `amr` names `mfa` (RFC 8176: "multiple-factor
   * authentication"), or the token met a configured requirement, which the bank sets to
   * the values that mean strong authentication at its provider.
   */
  multiFactor: boolean;
  /** What the token said, for the audit record (method names and levels: nothing personal). */
  acr: string | null;
  amr: string[];
}

const list = (v: string | undefined) =>
  (v ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function strengthRequirement(c: Pick<Config, "OIDC_ACR_VALUES" | "OIDC_AMR_VALUES">): StrengthRequirement {
  return { acr: list(c.OIDC_ACR_VALUES), amr: list(c.OIDC_AMR_VALUES) };
}

/**
 * Checks the ID token's `acr` (one of the accepted values) and `amr` (names one of the
 * required methods); with both configured, both must hold. A claim of the wrong type
 * counts as absent. Values are compared whole and case-sensitively, as the spec says.
 */
export function judgeStrength(claims: Record<string, unknown>, required: StrengthRequirement): StrengthVerdict {
  const acr = typeof claims.acr === "string" ? claims.acr.slice(0, 200) : null;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === "string").map((m) => m.slice(0, 50)) : [];
  const acrOk = required.acr.length === 0 || (acr !== null && required.acr.includes(acr));
  const amrOk = required.amr.length === 0 || amr.some((m) => required.amr.includes(m));
  const accepted = acrOk && amrOk;
  const configured = required.acr.length > 0 || required.amr.length > 0;
  return { accepted, multiFactor: amr.includes("mfa") || (configured && accepted), acr, amr: amr.slice(0, 20) };
}
