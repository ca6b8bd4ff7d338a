import type { Module } from "../Module.ts";
import { twoFactorRoutes } from "./twoFactorRoutes.ts";

/**
 * Staff two-factor sign-in (TOTP and recovery codes): the Security page's routes. The sign-in's second step
 * (POST /auth/login/two-factor) stays with the sign-in routes, which set the session cookie.
 */
export const twoFactorModule: Module = {
  name: "twoFactor",
  routes: twoFactorRoutes,
};
