import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { AppError, forbidden } from "../../../errors.ts";
import { SESSION_COOKIE } from "../authenticate.ts";
import { setSessionCookie } from "../sessionCookie.ts";
import { presentAgent } from "../../../presenters/presentAgent.ts";
import { listSecurityKeys, type SecurityKeyRow } from "../../../auth/securityKeys.ts";
import { authenticationResponseSchema, registrationResponseSchema, securityKeyName } from "../../../auth/securityKeySchema.ts";
import { securityKeySignInOptions } from "../../../auth/securityKeyAssertion.ts";
import { findSignInChallenge } from "../../../auth/signInChallenges.ts";
import { relyingPartyOf } from "../../../security/relyingParty.ts";
import { finishSecurityKeyRegistration, startSecurityKeyRegistration } from "../../../twoFactor/commands/registerSecurityKey.ts";
import { removeSecurityKey } from "../../../twoFactor/commands/removeSecurityKey.ts";
import { completeTwoFactorSignIn } from "../../../twoFactor/commands/completeTwoFactorSignIn.ts";
import { renameSecurityKey } from "../../../twoFactor/commands/renameSecurityKey.ts";
import { passkeySignInOptions, signInWithPasskey } from "../../../twoFactor/commands/signInWithPasskey.ts";
import type { PasskeySignInOptions, SecurityKey, SecurityKeyList, SignedIn } from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";

/** Never the public key or the counter: a name and dates to tell keys apart. */
const presentKey = (k: SecurityKeyRow): Presented<SecurityKey> => ({
  id: k.id,
  name: k.name,
  transports: k.transports,
  backedUp: k.backed_up,
  createdAt: k.created_at,
  lastUsedAt: k.last_used_at,
});

const signInChallenge = z.string().min(1).max(200);

/**
 * Security keys and passkeys (WebAuthn) as a second factor: a console user registers,
 * lists and removes their own under Security; the sign-in's second step offers them.
 * Registering is open to an agent who must set up two-factor sign-in first.
 */
export function securityKeyRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/auth/security-keys",
    tag: "auth",
    summary: "The signed-in agent's security keys and passkeys (name, created, last used), and whether this server offers them",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    handler: async ({ actor }): Promise<Presented<SecurityKeyList>> => {
      if (actor.type !== "agent") throw forbidden();
      return { available: relyingPartyOf(ctx.config) !== undefined, items: (await listSecurityKeys(ctx.db, actor.id)).map(presentKey) };
    },
  });

  api.add({
    method: "post",
    path: "/auth/security-keys/registration",
    tag: "auth",
    summary:
      "Start adding a security key or passkey: WebAuthn creation options for navigator.credentials.create, with a challenge for this session (5 minutes, once)",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    handler: async ({ actor, req }) => startSecurityKeyRegistration(ctx, { actor, sessionToken: req.cookies[SESSION_COOKIE] }),
  });

  api.add({
    method: "post",
    path: "/auth/security-keys",
    tag: "auth",
    summary: "Finish adding a security key: its name and the browser's registration response. Audited",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    status: 201,
    body: z.object({ name: securityKeyName, response: registrationResponseSchema }).strict(),
    handler: async ({ actor, body, req }) =>
      presentKey(
        await finishSecurityKeyRegistration(ctx, {
          actor,
          sessionToken: req.cookies[SESSION_COOKIE],
          name: body.name,
          response: body.response,
          ip: req.ip,
        }),
      ),
  });

  api.add({
    method: "patch",
    path: "/auth/security-keys/{id}",
    tag: "auth",
    summary: "Rename one of your security keys. Audited",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    params: z.object({ id: z.string().uuid() }),
    body: z.object({ name: securityKeyName }).strict(),
    handler: async ({ actor, params, body, req }) =>
      presentKey(await renameSecurityKey(ctx, { actor, keyId: params.id, name: body.name, ip: req.ip })),
  });

  api.add({
    method: "delete",
    path: "/auth/security-keys/{id}",
    tag: "auth",
    summary: "Remove one of your security keys (not the last second factor while two-factor sign-in is required). Audited",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    status: 204,
    handler: async ({ actor, params, req }) => {
      await removeSecurityKey(ctx, { actor, keyId: params.id, ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "post",
    path: "/auth/login/security-key/options",
    tag: "auth",
    summary:
      "The second step of signing in with a security key: WebAuthn request options for the agent's keys, with a challenge for this sign-in attempt (once, 5 minutes)",
    auth: "none",
    body: z.object({ challenge: signInChallenge }).strict(),
    handler: async ({ body }) => {
      const challenge = await findSignInChallenge(ctx.db, body.challenge);
      if (!challenge) {
        throw new AppError("unauthenticated", "This sign-in has expired: enter your e-mail and password again", {
          reason: "challenge_expired",
        });
      }
      const options = await securityKeySignInOptions(ctx, challenge.agentId, body.challenge);
      if (!options) throw new AppError("not_found", "No security key to sign in with", { reason: "no_security_key" });
      return options;
    },
  });

  api.add({
    method: "post",
    path: "/auth/login/security-key",
    tag: "auth",
    summary:
      "The second step of signing in with a security key: the sign-in's challenge and the browser's authentication response. A failed answer counts towards the lock-out",
    auth: "none",
    body: z.object({ challenge: signInChallenge, response: authenticationResponseSchema }).strict(),
    handler: async ({ body, req, res }): Promise<Presented<SignedIn>> => {
      const r = await completeTwoFactorSignIn(ctx, {
        challenge: body.challenge,
        factor: { securityKey: body.response },
        ip: req.ip,
        userAgent: req.get("user-agent"),
      });
      setSessionCookie(ctx, req, res, r);
      return { agent: presentAgent(r.agent), csrfToken: r.csrfToken, twoFactor: { enabled: true, mustEnrol: false } };
    },
  });

  api.add({
    method: "post",
    path: "/auth/login/passkey/options",
    tag: "auth",
    summary:
      "Passwordless sign-in with a passkey, first step: WebAuthn request options for any passkey of this site (user verification required) and the attempt token that binds their challenge (once, 5 minutes)",
    auth: "none",
    handler: async (): Promise<Presented<PasskeySignInOptions>> => passkeySignInOptions(ctx),
  });

  api.add({
    method: "post",
    path: "/auth/login/passkey",
    tag: "auth",
    summary:
      "Passwordless sign-in with a passkey: the attempt token and the browser's authentication response. Counted towards the lock-out like a password; audited",
    auth: "none",
    body: z.object({ attempt: signInChallenge, response: authenticationResponseSchema }).strict(),
    handler: async ({ body, req, res }): Promise<Presented<SignedIn>> => {
      const r = await signInWithPasskey(ctx, {
        attempt: body.attempt,
        response: body.response,
        ip: req.ip,
        userAgent: req.get("user-agent"),
      });
      setSessionCookie(ctx, req, res, r);
      return { agent: presentAgent(r.agent), csrfToken: r.csrfToken, twoFactor: { enabled: true, mustEnrol: false } };
    },
  });
}
