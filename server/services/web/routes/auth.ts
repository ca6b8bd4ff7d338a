import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { signIn } from "../../../commands/signIn.ts";
import { findAgentSession, touchAgentSession } from "../../../auth/agentSessions.ts";
import { signOut } from "../../../commands/signOut.ts";
import { setOwnDisplayName } from "../../../commands/setOwnDisplayName.ts";
import { displayNameInput } from "../../../agents/customerFacingName.ts";
import { presentAgent } from "../../../presenters/presentAgent.ts";
import { AppError } from "../../../errors.ts";
import { openIdToken } from "../../../sso/ssoIdToken.ts";
import { SESSION_COOKIE } from "../authenticate.ts";
import { setSessionCookie } from "../sessionCookie.ts";
import { completeTwoFactorSignIn } from "../../../twoFactor/commands/completeTwoFactorSignIn.ts";
import type { AgentSession } from "../../../auth/agentSessions.ts";
import { withSecondFactor } from "../../../twoFactor/secondFactorSchema.ts";
import { readOrganisationSettings } from "../../../admin/organisationSettings.ts";
import { oidcClientFor, ssoEnabled } from "../../../sso/oidcClient.ts";
import type { PasswordSignIn, SessionState, SignedIn, SignedOut } from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";

/** What the console needs to know of its own agent's second factor. */
const twoFactorOf = (s: AgentSession) => ({ enabled: s.agent.totp_enabled_at !== null, mustEnrol: s.mustEnrolTwoFactor });

/** Console sign-in: an httpOnly session cookie plus a CSRF token the SPA sends on writes. */
export function authRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "post",
    path: "/auth/login",
    tag: "auth",
    summary:
      "Sign in with e-mail and password. With two-factor sign-in the answer is a 5-minute challenge (twoFactorRequired: true) for POST /auth/login/two-factor, not a session",
    auth: "none",
    body: z.object({ email: z.string().email().max(200), password: z.string().min(1).max(200) }),
    handler: async ({ body, req, res }): Promise<Presented<PasswordSignIn>> => {
      const r = await signIn(ctx, { ...body, ip: req.ip, userAgent: req.get("user-agent") });
      if (r.kind === "two_factor") return { twoFactorRequired: true, challenge: r.challenge, expiresAt: r.expiresAt, methods: r.methods };
      setSessionCookie(ctx, req, res, r);
      // Without a second factor: the console must know whether to ask for one to be set up first.
      const mustEnrol = (await readOrganisationSettings(ctx.db)).requireStaffTwoFactor;
      return { agent: presentAgent(r.agent), csrfToken: r.csrfToken, twoFactor: { enabled: false, mustEnrol } };
    },
  });

  api.add({
    method: "post",
    path: "/auth/login/two-factor",
    tag: "auth",
    summary:
      "The second step of signing in: the challenge and a code from the authenticator app, or a recovery code (used up). Wrong codes count towards the lock-out",
    auth: "none",
    body: withSecondFactor({ challenge: z.string().min(1).max(200) }),
    handler: async ({ body, req, res }): Promise<Presented<SignedIn>> => {
      const { challenge, ...factor } = body;
      const r = await completeTwoFactorSignIn(ctx, { challenge, factor, ip: req.ip, userAgent: req.get("user-agent") });
      setSessionCookie(ctx, req, res, r);
      return { agent: presentAgent(r.agent), csrfToken: r.csrfToken, twoFactor: { enabled: true, mustEnrol: false } };
    },
  });

  api.add({
    method: "get",
    path: "/auth/me",
    tag: "auth",
    summary: "The signed-in agent and the CSRF token for writes",
    auth: "none",
    handler: async ({ req }): Promise<Presented<SignedIn>> => {
      const s = await findAgentSession(ctx, req.cookies?.[SESSION_COOKIE]);
      if (!s) throw new AppError("unauthenticated", "Please sign in");
      return { agent: presentAgent(s.agent, s.teamIds), csrfToken: s.csrfToken, twoFactor: twoFactorOf(s) };
    },
  });

  api.add({
    method: "patch",
    path: "/auth/me",
    tag: "auth",
    summary: "Change your own profile: the display name customers see (null: your first name)",
    auth: "agent",
    body: z.object({ displayName: displayNameInput }).strict(),
    handler: async ({ actor, body, req }): Promise<Presented<Pick<SignedIn, "agent">>> => {
      await setOwnDisplayName(ctx, { actor, displayName: body.displayName, ip: req.ip });
      const s = await findAgentSession(ctx, req.cookies?.[SESSION_COOKIE]);
      if (!s) throw new AppError("unauthenticated", "Please sign in");
      return { agent: presentAgent(s.agent, s.teamIds) };
    },
  });

  api.add({
    method: "get",
    path: "/auth/session",
    tag: "auth",
    summary:
      "Whether this browser is signed in: the agent and CSRF token, or signedIn false (200 either way, for pages deciding what to show)",
    auth: "none",
    handler: async ({ req }): Promise<Presented<SessionState>> => {
      const s = await findAgentSession(ctx, req.cookies?.[SESSION_COOKIE]);
      return s
        ? { signedIn: true, agent: presentAgent(s.agent, s.teamIds), csrfToken: s.csrfToken, twoFactor: twoFactorOf(s) }
        : { signedIn: false };
    },
  });

  api.add({
    method: "post",
    path: "/auth/activity",
    tag: "auth",
    summary: "The agent is using the console: keeps the session from ending for inactivity (SESSION_IDLE_MINUTES)",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    status: 204,
    handler: async ({ req }) => {
      await touchAgentSession(ctx.db, req.cookies?.[SESSION_COOKIE]);
      return undefined;
    },
  });

  api.add({
    method: "post",
    path: "/auth/logout",
    tag: "auth",
    summary:
      "Sign out. A session from single sign-on, with OIDC_POST_LOGOUT_REDIRECT_URL set and a provider that offers it, answers endSessionUrl: the console goes there to sign out at the provider too",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    handler: async ({ req, res }): Promise<SignedOut | undefined> => {
      const { viaSso, sealedIdToken } = await signOut(ctx, { token: req.cookies[SESSION_COOKIE] });
      res.clearCookie(SESSION_COOKIE, { path: "/" });
      const endSessionUrl =
        viaSso && ssoEnabled(ctx.config) ? await oidcClientFor(ctx).endSessionUrl(idTokenHint(ctx, sealedIdToken)) : undefined;
      return endSessionUrl ? { endSessionUrl: endSessionUrl.href } : undefined;
    },
  });
}

/** A sealed ID token opened for the provider, or nothing when it no longer opens (a key rotated away): the provider then asks the user. */
function idTokenHint(ctx: AppContext, sealed: string | undefined): string | undefined {
  if (!sealed) return undefined;
  try {
    return openIdToken(ctx.secrets, sealed);
  } catch {
    return undefined;
  }
}
