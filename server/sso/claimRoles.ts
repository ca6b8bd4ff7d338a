import type { Role } from "../models/agents.ts";

export interface RoleMapping {
  claim: string;
  admin: string[];
  agent: string[];
}

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** OIDC_ROLE_CLAIM with OIDC_ADMIN_VALUES / OIDC_AGENT_VALUES, or undefined when roles stay BankDesk's own. */
export function roleMapping(c: {
  OIDC_ROLE_CLAIM?: string;
  OIDC_ADMIN_VALUES?: string;
  OIDC_AGENT_VALUES?: string;
}): RoleMapping | undefined {
  if (!c.OIDC_ROLE_CLAIM) return undefined;
  return { claim: c.OIDC_ROLE_CLAIM, admin: list(c.OIDC_ADMIN_VALUES), agent: list(c.OIDC_AGENT_VALUES) };
}

/**
 * The role the provider's claim gives: admin wins over agent; null when the claim names
 * neither (the user is not meant to use BankDesk). The claim may be a string or a list
 * (Keycloak, Entra ID and Okta send groups as a list); a dotted name reaches into an
 * object claim ("realm_access.roles").
 */
export function roleFromClaims(claims: Record<string, unknown>, mapping: RoleMapping): Extract<Role, "admin" | "agent"> | null {
  let value: unknown = claims;
  for (const part of mapping.claim.split(".")) {
    value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  }
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
  if (values.some((v) => mapping.admin.includes(v))) return "admin";
  if (values.some((v) => mapping.agent.includes(v))) return "agent";
  return null;
}
