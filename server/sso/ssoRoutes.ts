import type { Express, Request, Response } from "express";
import { z } from "zod";
import { relyingPartyOf } from "../security/relyingParty.ts";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { setSessionCookie } from "../services/web/sessionCookie.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { LogoutTokenRejected, oidcClientFor as clientOf, ssoEnabled } from "./oidcClient.ts";
import { endSsoSessions } from "./endSsoSessions.ts";
import { createSsoFlow, FLOW_MINUTES, takeSsoFlow } from "./ssoFlows.ts";
import { signInWithSso, SsoRefused } from "./signInWithSso.ts";
import type { SignInMethods } from "../../shared/wire/index.ts";
import { onDemand } from "../onDemand.ts";

// Express, its rate limiter and cookie parser (~15 MB of idle RSS) are loaded when a web process
// mounts these routes, not in a worker, which loads the module with the SSO feature.
const express = onDemand<typeof import("express")>("express");
const rateLimiting = onDemand<typeof import("express-rate-limit")>("express-rate-limit");
const cookieParser = onDemand<typeof import("cookie-parser")>("cookie-parser");

const FLOW_COOKIE = "bd_sso_flow";

/** What the sign-in page shows: the SSO button, and whether the password form is there at all. */
export function ssoApiRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/auth/sso",
    tag: "auth",
    summary:
      "Sign-in methods: whether single sign-on is on, the provider's name for its button, whether e-mail and password work, and whether a passkey signs in without a password",
    auth: "none",
    handler: async (): Promise<SignInMethods> => ({
      enabled: ssoEnabled(ctx.config),
      providerName: ssoEnabled(ctx.config) ? ctx.config.OIDC_PROVIDER_NAME : null,
      startUrl: ssoEnabled(ctx.config) ? "/auth/sso/start" : null,
      passwordSignIn: ctx.config.PASSWORD_SIGN_IN,
      // Passwordless passkeys stand beside the password, never around single sign-on only.
      passkeySignIn: ctx.config.PASSWORD_SIGN_IN && relyingPartyOf(ctx.config) !== undefined,
    }),
  });
}

/**
 * The browser's way through the provider: /auth/sso/start sends it there with a fresh
 * state, nonce and PKCE challenge (remembered against a cookie of this browser), and
 * OIDC_REDIRECT_URL (/auth/sso/callback) brings it back to be checked and signed in.
 * Outside /api/v1: these are page navigations answered with redirects, not JSON.
 */
export function ssoMount(app: Express, ctx: AppContext) {
  if (!ssoEnabled(ctx.config)) return;
  mountBackChannelLogout(app, ctx);
  const router = express().Router();
  router.use(
    rateLimiting().rateLimit({
      windowMs: 15 * 60_000,
      limit: 60,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (_req, res) => void res.redirect(303, "/console#sso-error=rate_limited"),
    }),
    cookieParser()(),
  );
  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    // Lax, not Strict: the cookie must come along when the provider sends the browser back (a cross-site navigation).
    sameSite: "lax" as const,
    secure: ctx.config.isProduction || req.secure,
    path: "/auth/sso",
  });

  router.get("/start", async (req, res: Response) => {
    try {
      const request = await clientOf(ctx).authorizationRequest();
      const flow = await createSsoFlow(ctx.db, request);
      res.cookie(FLOW_COOKIE, flow.id, { ...cookieOptions(req), maxAge: FLOW_MINUTES * 60_000 });
      res.set("Cache-Control", "no-store").redirect(303, request.url.href);
    } catch (err) {
      ctx.logger.warn(
        { err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        "single sign-on could not start",
      );
      res.redirect(303, "/console#sso-error=unavailable");
    }
  });

  router.get("/callback", async (req, res: Response) => {
    res.set("Cache-Control", "no-store");
    const flow = await takeSsoFlow(ctx.db, req.cookies?.[FLOW_COOKIE]);
    res.clearCookie(FLOW_COOKIE, cookieOptions(req));
    const userAgent = req.get("user-agent");
    if (!flow) {
      await writeAudit(ctx.db, { actor: { type: "system" }, action: "auth.sso_failed", data: { reason: "no_flow" }, ip: req.ip });
      return res.redirect(303, "/console#sso-error=expired");
    }
    const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    let answer;
    try {
      answer = await clientOf(ctx).complete(query, flow);
    } catch (err) {
      // openid-client's codes say which check failed (state, nonce, audience, signature...). Its messages carry no secret.
      // The cause's message names the claim (the cause itself also holds the token's claims: not recorded).
      const e = err as { code?: string; error?: string; message?: string; cause?: { message?: unknown } };
      const cause = e.cause && typeof e.cause.message === "string" ? e.cause.message.slice(0, 300) : undefined;
      const detail = { code: e.code, error: e.error, message: e.message?.slice(0, 300), cause };
      ctx.logger.warn({ sso: detail }, "single sign-on answer refused");
      await writeAudit(ctx.db, {
        actor: { type: "system" },
        action: "auth.sso_failed",
        data: { reason: "invalid_response", ...detail },
        ip: req.ip,
      });
      // The user cancelled at the provider (or it refused them): say so rather than "could not be verified".
      return res.redirect(303, `/console#sso-error=${e.error === "access_denied" ? "denied" : "failed"}`);
    }
    try {
      const r = await signInWithSso(ctx, answer.claims, { ip: req.ip, userAgent, idToken: answer.idToken });
      if (r.kind === "two_factor") return res.redirect(303, `/console#sso-two-factor=${encodeURIComponent(r.challenge)}`);
      setSessionCookie(ctx, req, res, r);
      return res.redirect(303, "/console");
    } catch (err) {
      if (err instanceof SsoRefused) return res.redirect(303, `/console#sso-error=${err.reason}`);
      throw err;
    }
  });
  app.use("/auth/sso", router);
  app.use("/auth/sso", (_req, _res, next) => next(new AppError("not_found", "No such page")));
}

const logoutRequest = z.object({ logout_token: z.string().min(1).max(16_000) });

/**
 * OpenID Connect Back-Channel Logout 1.0: the provider POSTs a signed logout token here
 * (server to server, no cookie: so no CSRF token either; the signature is the
 * authentication) when a user's session there ends. 200 once the sessions it names are
 * ended, 400 with an OAuth-style error for a token that fails a check or was used before.
 * Its own rate limit, apart from the browsers' sign-ins: a provider logging a whole
 * department out sends many at once from one address.
 */
function mountBackChannelLogout(app: Express, ctx: AppContext) {
  app.post(
    "/auth/sso/backchannel-logout",
    rateLimiting().rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: "draft-8", legacyHeaders: false }),
    express().urlencoded({ extended: false, limit: "32kb" }),
    async (req: Request, res: Response) => {
      res.set("Cache-Control", "no-store");
      const refuse = async (check: string) => {
        // The check that failed only: the token itself names a user and is never recorded.
        ctx.logger.warn({ sso: { check } }, "back-channel logout token refused");
        await writeAudit(ctx.db, {
          actor: { type: "system" },
          action: "auth.sso_failed",
          data: { reason: "invalid_logout_token", check },
          ip: req.ip,
        });
        res.status(400).json({ error: "invalid_request", error_description: `logout token refused: ${check}` });
      };
      const body = logoutRequest.safeParse(req.body);
      if (!body.success) return refuse("missing_logout_token");
      try {
        const token = await clientOf(ctx).verifyLogoutToken(body.data.logout_token);
        await endSsoSessions(ctx, token, { ip: req.ip });
        res.status(200).end();
      } catch (err) {
        if (err instanceof LogoutTokenRejected) return refuse(err.check);
        ctx.logger.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, "back-channel logout failed");
        // The provider could not be asked for its keys: it may try again.
        res.status(503).json({ error: "temporarily_unavailable" });
      }
    },
  );
}
