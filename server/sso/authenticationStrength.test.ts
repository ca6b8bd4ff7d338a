import { describe, expect, it } from "vitest";
import { judgeStrength, strengthRequirement } from "./authenticationStrength.ts";

describe("authentication strength from the identity provider", () => {
  it("reads space- or comma-separated settings", () => {
    expect(strengthRequirement({ OIDC_ACR_VALUES: "urn:bank:loa:3 urn:bank:loa:4", OIDC_AMR_VALUES: "mfa, hwk" })).toEqual({
      acr: ["urn:bank:loa:3", "urn:bank:loa:4"],
      amr: ["mfa", "hwk"],
    });
    expect(strengthRequirement({})).toEqual({ acr: [], amr: [] });
  });

  it("accepts anything when nothing is required, and counts only amr mfa as two-factor then", () => {
    const none = strengthRequirement({});
    expect(judgeStrength({}, none)).toMatchObject({ accepted: true, multiFactor: false });
    expect(judgeStrength({ acr: "1", amr: ["pwd"] }, none)).toMatchObject({ accepted: true, multiFactor: false });
    expect(judgeStrength({ amr: ["pwd", "mfa", "otp"] }, none)).toMatchObject({ accepted: true, multiFactor: true });
  });

  it("requires an accepted acr", () => {
    const r = strengthRequirement({ OIDC_ACR_VALUES: "urn:bank:loa:3" });
    expect(judgeStrength({ acr: "urn:bank:loa:3" }, r)).toMatchObject({ accepted: true, multiFactor: true, acr: "urn:bank:loa:3" });
    expect(judgeStrength({ acr: "urn:bank:loa:1" }, r)).toMatchObject({ accepted: false, multiFactor: false });
    expect(judgeStrength({}, r).accepted).toBe(false);
    // Compared whole: a prefix or a list is no match.
    expect(judgeStrength({ acr: "urn:bank:loa:3x" }, r).accepted).toBe(false);
    expect(judgeStrength({ acr: ["urn:bank:loa:3"] }, r).accepted).toBe(false);
  });

  it("requires one of the amr methods, and both claims when both are configured", () => {
    const r = strengthRequirement({ OIDC_AMR_VALUES: "otp,hwk" });
    expect(judgeStrength({ amr: ["pwd", "otp"] }, r)).toMatchObject({ accepted: true, multiFactor: true, amr: ["pwd", "otp"] });
    expect(judgeStrength({ amr: ["pwd"] }, r).accepted).toBe(false);
    expect(judgeStrength({ amr: "otp" }, r).accepted).toBe(false);
    const both = strengthRequirement({ OIDC_ACR_VALUES: "gold", OIDC_AMR_VALUES: "hwk" });
    expect(judgeStrength({ acr: "gold", amr: ["hwk"] }, both).accepted).toBe(true);
    expect(judgeStrength({ acr: "gold", amr: ["pwd"] }, both).accepted).toBe(false);
    expect(judgeStrength({ acr: "silver", amr: ["hwk"] }, both).accepted).toBe(false);
  });
});
