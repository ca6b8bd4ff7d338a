import { describe, expect, it } from "vitest";
import { roleFromClaims, roleMapping } from "./claimRoles.ts";

describe("roles from the identity provider's claim", () => {
  const mapping = roleMapping({ OIDC_ROLE_CLAIM: "groups", OIDC_ADMIN_VALUES: "desk-admins, it", OIDC_AGENT_VALUES: "desk-agents" })!;

  it("reads lists, strings, and admin before agent", () => {
    expect(mapping).toEqual({ claim: "groups", admin: ["desk-admins", "it"], agent: ["desk-agents"] });
    expect(roleFromClaims({ groups: ["staff", "desk-agents"] }, mapping)).toBe("agent");
    expect(roleFromClaims({ groups: ["desk-agents", "it"] }, mapping)).toBe("admin");
    expect(roleFromClaims({ groups: "desk-admins" }, mapping)).toBe("admin");
  });

  it("gives no role without a listed value, or without the claim", () => {
    expect(roleFromClaims({ groups: ["staff"] }, mapping)).toBeNull();
    expect(roleFromClaims({}, mapping)).toBeNull();
    expect(roleFromClaims({ groups: [{ name: "desk-admins" }] }, mapping)).toBeNull();
    // A near miss is no match: values are compared whole.
    expect(roleFromClaims({ groups: ["desk-admins-old"] }, mapping)).toBeNull();
  });

  it("follows a dotted claim name into an object claim", () => {
    const nested = roleMapping({ OIDC_ROLE_CLAIM: "realm_access.roles", OIDC_AGENT_VALUES: "bankdesk" })!;
    expect(roleFromClaims({ realm_access: { roles: ["bankdesk"] } }, nested)).toBe("agent");
    expect(roleFromClaims({ realm_access: ["bankdesk"] }, nested)).toBeNull();
  });

  it("is off without a claim name", () => {
    expect(roleMapping({})).toBeUndefined();
  });
});
