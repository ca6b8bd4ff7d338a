import type { Module } from "../Module.ts";
import { twoFactorRoutes } from "./twoFactorRoutes.ts";
import { resealTotpSecret, TOTP_PENDING_SECRET, TOTP_SECRET } from "./twoFactorSecret.ts";
import { sealedColumn } from "../commands/resealSecrets.ts";

/**
 * Staff two-factor sign-in (TOTP and recovery codes): the Security page's routes. The sign-in's second step
 * (POST /auth/login/two-factor) stays with the sign-in routes, which set the session cookie.
 */
export const twoFactorModule: Module = {
  name: "twoFactor",
  routes: twoFactorRoutes,
  // Agents' TOTP secrets, each column under its own purpose.
  sealedSecrets: ([TOTP_SECRET, TOTP_PENDING_SECRET] as const).map((purpose) =>
    sealedColumn({
      table: "agents",
      keys: ["id"],
      column: purpose === TOTP_SECRET ? "totp_secret" : "totp_pending_secret",
      where: (r) => `agent ${String(r.id)}: ${purpose}`,
      reseal: (secrets, stored) => resealTotpSecret(secrets, stored, purpose),
    }),
  ),
};
