import type { Module } from "../Module.ts";
import { ssoApiRoutes, ssoMount } from "./ssoRoutes.ts";
import { ssoSealedSecrets } from "./ssoIdToken.ts";

/** OpenID Connect single sign-on for staff (issue #13): the sign-in routes. Configured by OIDC_* (config.ts). */
export const ssoModule: Module = {
  name: "sso",
  routes: ssoApiRoutes,
  mount: ssoMount,
  sealedSecrets: ssoSealedSecrets,
};
