/**
 * Single sign-on, issue #13, against the real local provider (oidc-provider): the
 * authentication strength the bank requires (acr / amr in the ID token) and what counts
 * as two-factor, and OpenID Connect Back-Channel Logout: the provider's logout token
 * ends the console sessions it names and closes their sockets, as signing out does;
 * forged, malformed and replayed tokens are refused with 400.
 */
import { SecretBox } from "../../server/security/secretBox.ts";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedByServer, connectAgentSocket, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import {
  CookieBrowser,
  freeLoopbackPort,
  startTestIdentityProvider,
  throughTestProvider,
  type TestIdentityProvider,
} from "../helpers/oidcProvider.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { sealTotpSecret } from "../../server/twoFactor/twoFactorSecret.ts";
import { totpCode, totpStep } from "../../server/twoFactor/totp.ts";
import { base32Decode } from "../../server/twoFactor/base32.ts";
import { hashToken } from "../../server/auth/identity.ts";
import { BACKCHANNEL_LOGOUT_EVENT } from "../../server/sso/oidcClient.ts";

let app: TestApp;
let idp: TestIdentityProvider;
const PASSWORD = "strength-and-logout-password";
const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

beforeAll(async () => {
  const port = await freeLoopbackPort();
  const redirect = `http://127.0.0.1:${port}/auth/sso/callback`;
  idp = await startTestIdentityProvider({
    redirectUris: [redirect],
    backchannelLogoutUri: `http://127.0.0.1:${port}/auth/sso/backchannel-logout`,
    postLogoutRedirectUris: [`http://127.0.0.1:${port}/console`],
    users: [
      { sub: "u-strong", email: "strong@bank.example", acr: "urn:bank:loa:3", amr: ["pwd", "otp"] },
      { sub: "u-weak", email: "weak@bank.example", acr: "urn:bank:loa:1", amr: ["pwd"] },
      { sub: "u-mfa", email: "mfa@bank.example", amr: ["pwd", "mfa"] },
      { sub: "u-bye", email: "bye@bank.example", amr: ["pwd"] },
    ],
  });
  app = await startTestApp({
    port,
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_REDIRECT_URL: redirect,
    },
  });
  for (const email of ["strong@bank.example", "weak@bank.example", "mfa@bank.example", "bye@bank.example"]) {
    await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split("@")[0]!, role: "agent", password: PASSWORD });
  }
  // mfa@ has TOTP set up: the provider's asserted MFA stands in for the code step.
  await app.db.query("UPDATE agents SET totp_secret = $1, totp_enabled_at = now() WHERE email = 'mfa@bank.example'", [
    sealTotpSecret(app.ctx.secrets, TOTP_SECRET),
  ]);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

/** Through BankDesk and the provider as `login`; where BankDesk sent the browser, and its session cookie. */
async function signIn(login: string, browser = new CookieBrowser()) {
  const res = await browser.get(await throughTestProvider(app, idp, browser, login));
  expect(res.status).toBe(303);
  const session = browser.cookie(app.url, "bd_session");
  return { browser, location: res.headers.get("location")!, cookie: session ? `bd_session=${session}` : undefined };
}

async function sessionOf(cookie: string | undefined) {
  if (!cookie) return { signedIn: false };
  const r = await fetch(`${app.url}/api/v1/auth/session`, { headers: { cookie } });
  return (await r.json()) as { signedIn: boolean; csrfToken?: string; twoFactor?: { mustEnrol: boolean } };
}

const audit = async (action: string) =>
  (
    await app.db.query<{ data: Record<string, unknown> }>("SELECT data FROM audit_log WHERE action = $1 ORDER BY created_at, id", [action])
  ).rows.map((r) => r.data);

function withConfig(values: Partial<typeof app.ctx.config>, run: () => Promise<void>) {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, app.ctx.config[k as keyof typeof values]]));
  Object.assign(app.ctx.config, values);
  return run().finally(() => Object.assign(app.ctx.config, before));
}

describe("authentication strength from the identity provider", () => {
  it("asks for the required acr, refuses a weaker one, and counts the stronger one as two-factor", async () => {
    await withConfig({ OIDC_ACR_VALUES: "urn:bank:loa:3" }, async () => {
      const start = await fetch(`${app.url}/auth/sso/start`, { redirect: "manual" });
      expect(new URL(start.headers.get("location")!).searchParams.get("acr_values")).toBe("urn:bank:loa:3");

      const weak = await signIn("u-weak");
      expect(weak).toMatchObject({ location: "/console#sso-error=weak_authentication", cookie: undefined });
      expect((await audit("auth.sso_refused")).at(-1)).toMatchObject({
        reason: "weak_authentication",
        acr: "urn:bank:loa:1",
        amr: ["pwd"],
      });

      await app.db.query("UPDATE organisation_settings SET require_staff_two_factor = true");
      try {
        const strong = await signIn("u-strong");
        expect(strong.location).toBe("/console");
        // Two-factor required of all staff, no TOTP set up: the provider's strong sign-in counts.
        expect(await sessionOf(strong.cookie)).toMatchObject({ signedIn: true, twoFactor: { mustEnrol: false } });
      } finally {
        await app.db.query("UPDATE organisation_settings SET require_staff_two_factor = false");
      }
    });
  });

  it("requires one of the configured amr methods", async () => {
    await withConfig({ OIDC_AMR_VALUES: "otp hwk" }, async () => {
      expect((await signIn("u-weak")).location).toBe("/console#sso-error=weak_authentication");
      expect((await signIn("u-strong")).location).toBe("/console");
    });
    // Without the setting the same user is let in again.
    expect((await signIn("u-weak")).location).toBe("/console");
  });

  it("skips the TOTP step when the provider asserts MFA, and not otherwise", async () => {
    const mfa = await signIn("u-mfa");
    expect(mfa.location).toBe("/console");
    expect(await sessionOf(mfa.cookie)).toMatchObject({ signedIn: true });
    expect((await audit("auth.login")).at(-1)).toMatchObject({ secondFactor: "idp_mfa", method: "sso" });

    idp.users.get("u-mfa")!.amr = ["pwd"];
    try {
      const single = await signIn("u-mfa");
      expect(single.location).toMatch(/^\/console#sso-two-factor=/);
      expect(single.cookie).toBeUndefined();
      // The code step opens a session that still knows its provider session, for a back-channel logout.
      const challenge = decodeURIComponent(single.location.slice("/console#sso-two-factor=".length));
      const second = await fetch(`${app.url}/api/v1/auth/login/two-factor`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ challenge, code: totpCode(base32Decode(TOTP_SECRET), totpStep()) }),
      });
      expect(second.status).toBe(200);
      const cookie = second.headers.get("set-cookie")!.split(";")[0]!;
      expect(await ssoOf(cookie)).toMatchObject({ sso_subject: "u-mfa", sso_sid: expect.any(String) });
    } finally {
      idp.users.get("u-mfa")!.amr = ["pwd", "mfa"];
    }
  });
});

const postLogoutToken = (token: string | undefined) =>
  fetch(`${app.url}/auth/sso/backchannel-logout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: token === undefined ? "" : new URLSearchParams({ logout_token: token }).toString(),
  });

const ssoOf = async (cookie: string) =>
  (
    await app.db.query<{ sso_sid: string | null; sso_subject: string | null }>(
      "SELECT sso_sid, sso_subject FROM agent_sessions WHERE token_hash = $1",
      [hashToken(decodeURIComponent(cookie.slice("bd_session=".length)))],
    )
  ).rows[0];

describe("OpenID Connect back-channel logout", () => {
  it("ends the session the provider's logout names and closes its socket; a password session stays", async () => {
    const sso = await signIn("u-bye");
    expect(sso.location).toBe("/console");
    const password = await signInAgent(app, "bye@bank.example", PASSWORD);
    const ssoSocket = await connectAgentSocket(app, sso.cookie!);
    const passwordSocket = await connectAgentSocket(app, password.cookie);
    const closed = closedByServer(ssoSocket);

    // The user signs out at the provider (its end-session page and confirmation form): it calls us.
    let res = await sso.browser.get(`${idp.issuer}/session/end`);
    const html = await res.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(xsrf, html).toBeTruthy();
    res = await sso.browser.get(`${idp.issuer}/session/end/confirm`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }).toString(),
    });
    expect(res.status).toBeLessThan(400);

    expect(await closed).toBe("io server disconnect");
    expect(await sessionOf(sso.cookie)).toEqual({ signedIn: false });
    expect(await sessionOf(password.cookie)).toMatchObject({ signedIn: true });
    expect(passwordSocket.connected).toBe(true);
    passwordSocket.close();
    expect((await audit("auth.sso_logout")).at(-1)).toMatchObject({ issuer: idp.issuer, subject: "u-bye", sessionsEnded: 1 });
  });

  it("refuses forged, malformed and replayed logout tokens with 400, and ends nothing", async () => {
    const sso = await signIn("u-bye");
    const { sso_sid: sid } = (await ssoOf(sso.cookie!))!;
    expect(sid).toBeTruthy();
    const now = Math.floor(Date.now() / 1000);
    const valid = () => ({
      iss: idp.issuer,
      aud: idp.clientId,
      iat: now,
      jti: crypto.randomUUID(),
      sub: "u-bye",
      sid,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    const without = (key: string) => {
      const c: Record<string, unknown> = valid();
      delete c[key];
      return c;
    };
    const header = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const bad: Array<[string, Promise<string> | string | undefined]> = [
      ["no token", undefined],
      ["not a JWT", "not-a-jwt"],
      ["unsigned (alg none)", `${header({ alg: "none" })}.${header(valid())}.`],
      ["another key", idp.signLogoutToken(valid(), { foreignKey: true })],
      ["HMAC with the client secret", idp.signLogoutToken(valid(), { alg: "HS256" })],
      ["another audience", idp.signLogoutToken({ ...valid(), aud: "another-client" })],
      ["another issuer", idp.signLogoutToken({ ...valid(), iss: "http://127.0.0.1:1/evil" })],
      ["issued an hour ago", idp.signLogoutToken({ ...valid(), iat: now - 3600 })],
      ["no iat", idp.signLogoutToken(without("iat"))],
      ["no jti", idp.signLogoutToken(without("jti"))],
      ["no events", idp.signLogoutToken(without("events"))],
      ["another event", idp.signLogoutToken({ ...valid(), events: { "http://schemas.openid.net/event/other": {} } })],
      ["a nonce (an ID token)", idp.signLogoutToken({ ...valid(), nonce: "n-0S6_WzA2Mj" })],
      ["neither sid nor sub", idp.signLogoutToken({ ...without("sid"), sub: undefined })],
    ];
    for (const [what, token] of bad) {
      const r = await postLogoutToken(await token);
      expect(r.status, what).toBe(400);
      expect(((await r.json()) as { error: string }).error, what).toBe("invalid_request");
    }
    expect(await sessionOf(sso.cookie)).toMatchObject({ signedIn: true });
    const checks = (await audit("auth.sso_failed")).filter((d) => d.reason === "invalid_logout_token").map((d) => d.check);
    expect(checks).toHaveLength(bad.length);
    expect(checks).toEqual(
      expect.arrayContaining([
        "missing_logout_token",
        "claim_aud",
        "claim_iss",
        "claim_iat",
        "claim_events",
        "claim_nonce",
        "claim_sid_or_sub",
      ]),
    );

    // The same claims, properly signed: accepted, and the session ends. Sent again: a replay.
    const good = await idp.signLogoutToken(valid());
    expect((await postLogoutToken(good)).status).toBe(200);
    expect(await sessionOf(sso.cookie)).toEqual({ signedIn: false });
    const replay = await postLogoutToken(good);
    expect(replay.status).toBe(400);
    expect((await audit("auth.sso_failed")).at(-1)).toMatchObject({ reason: "invalid_logout_token", check: "replayed_jti" });
  });

  it("ends every session of the user a token names by subject only, and sessions without a sid by the subject", async () => {
    const a = await signIn("u-strong");
    const b = await signIn("u-strong");
    const other = await signIn("u-weak");
    const token = await idp.signLogoutToken({
      iss: idp.issuer,
      aud: idp.clientId,
      iat: Math.floor(Date.now() / 1000),
      jti: crypto.randomUUID(),
      sub: "u-strong",
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect((await postLogoutToken(token)).status).toBe(200);
    expect(await sessionOf(a.cookie)).toEqual({ signedIn: false });
    expect(await sessionOf(b.cookie)).toEqual({ signedIn: false });
    expect(await sessionOf(other.cookie)).toMatchObject({ signedIn: true });

    // A session whose ID token carried no sid: a token naming a sid and its user still ends it.
    await app.db.query("UPDATE agent_sessions SET sso_sid = NULL WHERE sso_subject = 'u-weak'");
    const withSid = await idp.signLogoutToken({
      iss: idp.issuer,
      aud: idp.clientId,
      iat: Math.floor(Date.now() / 1000),
      jti: crypto.randomUUID(),
      sub: "u-weak",
      sid: "a-provider-session",
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect((await postLogoutToken(withSid)).status).toBe(200);
    expect(await sessionOf(other.cookie)).toEqual({ signedIn: false });
  });

  it("signs out at the provider too when configured (RP-initiated logout), and only for SSO sessions", async () => {
    const postLogout = `${app.url}/console`;
    await withConfig({ OIDC_POST_LOGOUT_REDIRECT_URL: postLogout }, async () => {
      const logout = async (cookie: string) => {
        const { csrfToken } = await sessionOf(cookie);
        return fetch(`${app.url}/api/v1/auth/logout`, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken! } });
      };
      const password = await signInAgent(app, "bye@bank.example", PASSWORD);
      expect((await logout(password.cookie)).status).toBe(204);

      const sso = await signIn("u-bye");
      // The session keeps the provider's ID token, sealed (it names the user).
      const { rows } = await app.db.query<{ sso_id_token: string }>(
        "SELECT sso_id_token FROM agent_sessions WHERE sso_subject = 'u-bye' ORDER BY last_active_at DESC LIMIT 1",
      );
      expect(SecretBox.isSealed(rows[0]!.sso_id_token)).toBe(true);
      const r = await logout(sso.cookie!);
      expect(r.status).toBe(200);
      const url = new URL(((await r.json()) as { endSessionUrl: string }).endSessionUrl);
      expect(url.origin + url.pathname).toBe(`${idp.issuer}/session/end`);
      const { id_token_hint: hint, ...params } = Object.fromEntries(url.searchParams);
      expect(params).toEqual({ client_id: idp.clientId, post_logout_redirect_uri: postLogout });
      // id_token_hint: the very ID token of this sign-in, so the provider knows whose session to end.
      const claims = JSON.parse(Buffer.from(hint!.split(".")[1]!, "base64url").toString()) as { iss: string; sub: string; aud: string };
      expect(claims).toMatchObject({ iss: idp.issuer, sub: "u-bye", aud: idp.clientId });
      expect(await sessionOf(sso.cookie)).toEqual({ signedIn: false });

      // At the provider: its confirmation, then back to the console.
      const page = await sso.browser.get(url.href);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(await page.text())?.[1];
      let res = await sso.browser.get(`${idp.issuer}/session/end/confirm`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }).toString(),
      });
      for (let i = 0; i < 3 && res.status >= 300 && res.status < 400; i++) {
        const next = new URL(res.headers.get("location")!, res.url || idp.issuer).href;
        if (next.startsWith(postLogout)) return;
        res = await sso.browser.get(next);
      }
      throw new Error(`the provider did not send the browser back: ${res.status}`);
    });
  });
});
