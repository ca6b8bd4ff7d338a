import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import {
  CookieBrowser as Browser,
  freeLoopbackPort,
  startTestIdentityProvider,
  throughTestProvider,
  type TestIdentityProvider,
} from "../helpers/oidcProvider.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { totpCode, totpStep } from "../../server/twoFactor/totp.ts";
import { base32Decode } from "../../server/twoFactor/base32.ts";

/**
 * OpenID Connect single sign-on (issue #13) against a real provider (oidc-provider on a
 * loopback port): the whole authorization-code flow over HTTP, the provider's own login
 * and consent forms submitted as a browser would, and what BankDesk refuses.
 */
let app: TestApp;
let idp: TestIdentityProvider;
const PASSWORD = "correct-horse-battery";

beforeAll(async () => {
  const port = await freeLoopbackPort();
  const redirect = `http://127.0.0.1:${port}/auth/sso/callback`;
  idp = await startTestIdentityProvider({
    redirectUris: [redirect],
    users: [
      { sub: "u-ada", email: "sso-ada@bank.example", name: "Ada SSO", groups: ["desk-agents"] },
      { sub: "u-ada-again", email: "SSO-ADA@bank.example", email_verified: false },
      { sub: "u-gone", email: "sso-gone@bank.example" },
      { sub: "u-stranger", email: "stranger@bank.example" },
      { sub: "u-totp", email: "sso-totp@bank.example" },
      { sub: "u-new", email: "sso-new@bank.example", name: "New Hire", groups: ["desk-admins"] },
      { sub: "u-nogroup", email: "sso-nogroup@bank.example", groups: ["finance"] },
    ],
  });
  app = await startTestApp({
    port,
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_REDIRECT_URL: redirect,
      OIDC_PROVIDER_NAME: "Bank Login",
      OIDC_SCOPES: "openid email profile groups",
    },
  });
  for (const email of ["sso-ada@bank.example", "sso-gone@bank.example", "sso-totp@bank.example", "sso-nogroup@bank.example"]) {
    await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split("@")[0]!, role: "agent", password: PASSWORD });
  }
  await app.db.query("UPDATE agents SET disabled_at = now() WHERE email = 'sso-gone@bank.example'");
}, 60_000);
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

/** Through the provider's login and consent forms, as `login`, to the callback URL. */
const throughProvider = (browser: Browser, login: string) => throughTestProvider(app, idp, browser, login);

/** Where BankDesk sends the browser after the callback, and the session it opened (if any). */
async function callback(browser: Browser, url: string) {
  const res = await browser.get(url);
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  const session = browser.cookie(app.url, "bd_session");
  const me = session
    ? ((await (await fetch(`${app.url}/api/v1/auth/session`, { headers: { cookie: `bd_session=${session}` } })).json()) as {
        signedIn: boolean;
        agent?: { email: string; role: string };
        twoFactor?: { mustEnrol: boolean };
      })
    : undefined;
  return { location, me };
}

async function signIn(login: string) {
  const browser = new Browser();
  return callback(browser, await throughProvider(browser, login));
}

const audit = async (action: string) =>
  (
    await app.db.query<{ data: Record<string, unknown> }>("SELECT data FROM audit_log WHERE action = $1 ORDER BY created_at", [action])
  ).rows.map((r) => r.data);

describe("single sign-on with OpenID Connect", () => {
  it("tells the sign-in page about the provider", async () => {
    const r = await fetch(`${app.url}/api/v1/auth/sso`);
    expect(await r.json()).toEqual({
      enabled: true,
      providerName: "Bank Login",
      startUrl: "/auth/sso/start",
      passwordSignIn: true,
      passkeySignIn: true,
    });
  });

  it("signs an existing agent in by verified e-mail, then by the provider's subject", async () => {
    const first = await signIn("u-ada");
    expect(first.location).toBe("/console");
    expect(first.me).toMatchObject({ signedIn: true, agent: { email: "sso-ada@bank.example", role: "agent" } });
    const linked = await app.db.query(
      "SELECT issuer, subject FROM agent_sso_identities i JOIN agents a ON a.id = i.agent_id WHERE a.email = $1",
      ["sso-ada@bank.example"],
    );
    expect(linked.rows).toEqual([{ issuer: idp.issuer, subject: "u-ada" }]);
    expect(await audit("auth.login")).toContainEqual({ method: "sso", issuer: idp.issuer });

    // The provider changes her e-mail: she is still the same agent (matched by subject now).
    idp.users.get("u-ada")!.email = "ada.renamed@bank.example";
    const again = await signIn("u-ada");
    expect(again.me).toMatchObject({ signedIn: true, agent: { email: "sso-ada@bank.example" } });
    idp.users.get("u-ada")!.email = "sso-ada@bank.example";
  });

  it("refuses an e-mail the provider has not verified, a user with no agent, and a deactivated agent", async () => {
    expect(await signIn("u-ada-again")).toEqual({ location: "/console#sso-error=unverified_email", me: undefined });
    expect(await signIn("u-stranger")).toEqual({ location: "/console#sso-error=no_agent", me: undefined });
    expect((await app.db.query("SELECT 1 FROM agents WHERE email = 'stranger@bank.example'")).rowCount).toBe(0);
    expect(await signIn("u-gone")).toEqual({ location: "/console#sso-error=deactivated", me: undefined });
    expect((await audit("auth.sso_refused")).map((d) => d.reason)).toEqual(
      expect.arrayContaining(["unverified_email", "no_agent", "deactivated"]),
    );
  });

  it("refuses an answer whose state is not this browser's sign-in", async () => {
    const browser = new Browser();
    const url = new URL(await throughProvider(browser, "u-ada"));
    url.searchParams.set("state", "not-the-state-we-sent");
    expect(await callback(browser, url.href)).toEqual({ location: "/console#sso-error=failed", me: undefined });
    // A callback without the browser's flow cookie (another browser: login CSRF) is refused too.
    const other = new Browser();
    const url2 = await throughProvider(browser, "u-ada");
    expect(await callback(other, url2)).toEqual({ location: "/console#sso-error=expired", me: undefined });
  });

  it("says so when the provider answers with an error instead of a code", async () => {
    const browser = new Browser();
    const url = new URL(await throughProvider(browser, "u-ada"));
    url.searchParams.delete("code");
    url.searchParams.set("error", "access_denied");
    expect(await callback(browser, url.href)).toEqual({ location: "/console#sso-error=denied", me: undefined });
  });

  it("refuses a code used before", async () => {
    const browser = new Browser();
    const url = await throughProvider(browser, "u-ada");
    expect((await callback(browser, url)).location).toBe("/console");
    // The same answer again: the sign-in it belonged to is used up.
    expect((await callback(browser, url)).location).toBe("/console#sso-error=expired");
    // The old code under a new sign-in's state: the provider refuses the code (and its PKCE verifier would not match).
    const fresh = new Browser();
    const next = new URL(await throughProvider(fresh, "u-ada"));
    next.searchParams.set("code", new URL(url).searchParams.get("code")!);
    expect(await callback(fresh, next.href)).toEqual({ location: "/console#sso-error=failed", me: undefined });
    expect((await audit("auth.sso_failed")).some((d) => d.error === "invalid_grant")).toBe(true);
  });

  it("checks the ID token's audience, issuer, expiry and signature", async () => {
    const now = Math.floor(Date.now() / 1000);
    const forgeries: Array<[string, (claims: Record<string, unknown>) => Promise<string>, RegExp]> = [
      ["another audience", (c) => idp.signIdToken({ ...c, aud: "another-client", azp: "another-client" }), /"aud"/],
      ["another issuer", (c) => idp.signIdToken({ ...c, iss: "http://127.0.0.1:1/evil" }), /"iss"/],
      ["expired", (c) => idp.signIdToken({ ...c, iat: now - 7200, exp: now - 3600 }), /"exp"/],
      ["another key", (c) => idp.signIdToken(c, { foreignKey: true }), /signature/i],
      ["another nonce", (c) => idp.signIdToken({ ...c, nonce: "replayed-nonce" }), /"nonce"/],
    ];
    // The unchanged claims re-signed pass: so each refusal is the one change's doing.
    const browser = new Browser();
    const url = await throughProvider(browser, "u-ada");
    idp.replaceNextIdToken((c) => idp.signIdToken(c));
    expect((await callback(browser, url)).location).toBe("/console");
    for (const [what, forge, why] of forgeries) {
      const b = new Browser();
      const u = await throughProvider(b, "u-ada");
      idp.replaceNextIdToken(forge);
      expect(await callback(b, u), what).toEqual({ location: "/console#sso-error=failed", me: undefined });
      const failure = (await audit("auth.sso_failed")).at(-1)!;
      expect(`${failure.message} ${failure.cause}`, what).toMatch(why);
    }
  });

  it("keeps the TOTP step unless the provider is trusted to enforce its own second factor", async () => {
    // sso-totp sets up two-factor sign-in with the password first.
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "sso-totp@bank.example", password: PASSWORD }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
    const start = (await (await fetch(`${app.url}/api/v1/auth/two-factor/enrolment`, { method: "POST", headers })).json()) as {
      secret: string;
    };
    const step = totpStep();
    const confirm = await fetch(`${app.url}/api/v1/auth/two-factor/enrolment/confirm`, {
      method: "POST",
      headers,
      body: JSON.stringify({ code: totpCode(base32Decode(start.secret), step) }),
    });
    expect(confirm.status).toBe(200);

    const r = await signIn("u-totp");
    expect(r.me).toBeUndefined();
    const challenge = decodeURIComponent(/^\/console#sso-two-factor=(.+)$/.exec(r.location)![1]!);
    const second = await fetch(`${app.url}/api/v1/auth/login/two-factor`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ challenge, code: totpCode(base32Decode(start.secret), step + 1) }),
    });
    expect(second.status).toBe(200);

    app.ctx.config.OIDC_IDP_ENFORCES_MFA = true;
    await app.db.query("UPDATE organisation_settings SET require_staff_two_factor = true");
    try {
      const trusted = await signIn("u-totp");
      expect(trusted.location).toBe("/console");
      expect(trusted.me).toMatchObject({ signedIn: true, twoFactor: { mustEnrol: false } });
      // An agent without TOTP is not sent to set it up either: the provider's factor counts.
      const ada = await signIn("u-ada");
      expect(ada.me).toMatchObject({ signedIn: true, twoFactor: { mustEnrol: false } });
      expect(await audit("auth.login")).toContainEqual({ secondFactor: "idp_mfa", method: "sso", issuer: idp.issuer });
    } finally {
      app.ctx.config.OIDC_IDP_ENFORCES_MFA = false;
    }
    // Untrusted again, with the organisation's requirement: the SSO session must set TOTP up first.
    const ada = await signIn("u-ada");
    expect(ada.me).toMatchObject({ signedIn: true, twoFactor: { mustEnrol: true } });
    await app.db.query("UPDATE organisation_settings SET require_staff_two_factor = false");
  });

  it("creates agents and follows the provider's groups when configured to", async () => {
    const config = app.ctx.config;
    Object.assign(config, {
      OIDC_PROVISION_USERS: true,
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ADMIN_VALUES: "desk-admins",
      OIDC_AGENT_VALUES: "desk-agents",
    });
    try {
      const hire = await signIn("u-new");
      expect(hire.me).toMatchObject({ signedIn: true, agent: { email: "sso-new@bank.example", role: "admin" } });
      expect(await audit("agent.create")).toContainEqual(expect.objectContaining({ email: "sso-new@bank.example", via: "sso" }));
      // In no BankDesk group: refused, though an agent exists.
      expect((await signIn("u-nogroup")).location).toBe("/console#sso-error=no_role");
      // Moved to the admins' group at the provider: admin at the next sign-in.
      idp.users.get("u-ada")!.groups = ["desk-admins"];
      expect((await signIn("u-ada")).me).toMatchObject({ agent: { role: "admin" } });
      expect(await audit("agent.role_from_sso")).toContainEqual({ from: "agent", to: "admin", claim: "groups" });
    } finally {
      Object.assign(config, {
        OIDC_PROVISION_USERS: false,
        OIDC_ROLE_CLAIM: undefined,
        OIDC_ADMIN_VALUES: undefined,
        OIDC_AGENT_VALUES: undefined,
      });
    }
  });

  it("refuses e-mail and password when only single sign-on is allowed", async () => {
    app.ctx.config.PASSWORD_SIGN_IN = false;
    try {
      const r = await fetch(`${app.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "sso-ada@bank.example", password: PASSWORD }),
      });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { details?: unknown } }).error).toMatchObject({
        details: { reason: "password_sign_in_disabled" },
      });
      // Nor a passwordless passkey: the provider stays the one way in, and the page does not offer it.
      const passkey = await fetch(`${app.url}/api/v1/auth/login/passkey/options`, { method: "POST" });
      expect(passkey.status).toBe(403);
      expect(await (await fetch(`${app.url}/api/v1/auth/sso`)).json()).toMatchObject({ passwordSignIn: false, passkeySignIn: false });
    } finally {
      app.ctx.config.PASSWORD_SIGN_IN = true;
    }
  });

  it("never writes the client secret to the database", async () => {
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE data::text LIKE '%' || $1 || '%'", [
      idp.clientSecret,
    ]);
    expect(rows[0]!.n).toBe(0);
  });
});
