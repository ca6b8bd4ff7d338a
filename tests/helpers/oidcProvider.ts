import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider from "oidc-provider";
import { expect } from "vitest";

/** A user of the test identity provider: signs in with any password as `login` (oidc-provider's development forms). */
export interface TestUser {
  sub: string;
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  /** How the provider says this user authenticated (the ID token's acr and amr), set at the login. */
  acr?: string;
  amr?: string[];
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, TestUser>;
  /** Replaces the ID token of the next token response (forged by the test): for the checks' negative tests. */
  replaceNextIdToken(make: (original: Record<string, unknown>) => Promise<string>): void;
  /** Signs an ID token with the provider's own key (or another key), with the claims given. */
  signIdToken(claims: Record<string, unknown>, opts?: { foreignKey?: boolean }): Promise<string>;
  /** Signs a back-channel logout token (typ logout+jwt) with the provider's own key (or another key). */
  signLogoutToken(claims: Record<string, unknown>, opts?: { foreignKey?: boolean; alg?: "RS256" | "HS256" }): Promise<string>;
  /** The claims of a compact JWT (no checks: the test reads what the provider issued). */
  decode(jwt: string): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified reference
 * implementation) on a free loopback port, with one confidential client whose redirect
 * URI is `redirectUri`, PKCE required, and its development login and consent forms.
 * BankDesk's relying-party code talks to it over HTTP exactly as to a bank's provider.
 */
export async function startTestIdentityProvider(opts: {
  redirectUris: string[];
  users: TestUser[];
  /** BankDesk's back-channel logout endpoint: the provider POSTs a logout token there when a user signs out at the provider. */
  backchannelLogoutUri?: string;
  postLogoutRedirectUris?: string[];
}): Promise<TestIdentityProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const foreign = await generateKeyPair("RS256", { extractable: true });
  const users = new Map(opts.users.map((u) => [u.sub, u]));
  const clientId = "bankdesk-test";
  const clientSecret = "test-client-secret-of-enough-length-0123456789";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
        ...(opts.backchannelLogoutUri && { backchannel_logout_uri: opts.backchannelLogoutUri, backchannel_logout_session_required: true }),
        ...(opts.postLogoutRedirectUris && { post_logout_redirect_uris: opts.postLogoutRedirectUris }),
      },
    ],
    jwks: { keys: [jwk] },
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ email_verified: true, ...user }) };
    },
    // acr and amr with every ID token, as the banks' providers send them (oidc-provider's defaults release them only on request).
    claims: {
      openid: ["sub", "acr", "amr", "sid", "auth_time"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    scopes: ["openid", "email", "profile", "groups"],
    // The ID token carries the e-mail itself (a code flow also issues an access token, which would otherwise move it to userinfo).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, backchannelLogout: { enabled: true } },
    acrValues: ["urn:bank:loa:1", "urn:bank:loa:3"],
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
    // oidc-provider refuses to call loopback addresses (SSRF protection); BankDesk's back-channel endpoint is on one here.
    fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
  });
  // The development login form signs in with the account id only: the user's acr and amr
  // are added to the login result, as a real provider records how the user authenticated.
  const finish = provider.interactionFinished.bind(provider);
  provider.interactionFinished = (req, res, result, options) => {
    const login = result.login as { accountId?: string } | undefined;
    const user = login?.accountId ? users.get(login.accountId) : undefined;
    const withStrength = user && login ? { ...result, login: { ...login, acr: user.acr, amr: user.amr } } : result;
    return finish(req, res, withStrength as typeof result, options);
  };
  provider.on("backchannel.error", (_ctx: unknown, err: Error) =>
    console.error("test identity provider, back-channel logout:", err.message),
  );
  provider.on("server_error", (_ctx: unknown, err: Error) => console.error("test identity provider:", err));
  let replaceIdToken: ((original: Record<string, unknown>) => Promise<string>) | undefined;
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/token" && ctx.status === 200 && replaceIdToken) {
      const body = ctx.body as Record<string, unknown>;
      const make = replaceIdToken;
      replaceIdToken = undefined;
      ctx.body = { ...body, id_token: await make(decode(body.id_token as string)) };
    }
  });
  server.on("request", provider.callback());

  const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
  return {
    issuer,
    clientId,
    clientSecret,
    users,
    replaceNextIdToken: (make) => void (replaceIdToken = make),
    signIdToken: (claims, o = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(o.foreignKey ? foreign.privateKey : privateKey),
    signLogoutToken: (claims, o = {}) =>
      o.alg === "HS256"
        ? new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "logout+jwt" }).sign(new TextEncoder().encode(clientSecret))
        : new SignJWT(claims)
            .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "logout+jwt" })
            .sign(o.foreignKey ? foreign.privateKey : privateKey),
    decode,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A port free right now, for a server whose own URL must be configured before it starts
 * (BankDesk's OIDC_REDIRECT_URL names its port). The kernel does not hand a just-released
 * port out again soon (it cycles through the ephemeral range), so another process taking it
 * in the moment between is not a practical concern.
 */
export async function freeLoopbackPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Cookies per origin, as a browser keeps them (enough for these two servers). */
export class CookieBrowser {
  private jar = new Map<string, Map<string, string>>();
  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.origin) ?? new Map())].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(u, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as object), ...(cookies && { cookie: cookies }) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...value] = pair!.split("=");
      const jar = this.jar.get(u.origin) ?? new Map<string, string>();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value.join("=") === "") jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join("="));
      this.jar.set(u.origin, jar);
    }
    return res;
  }
  cookie(origin: string, name: string) {
    return this.jar.get(origin)?.get(name);
  }
}

/**
 * Starts a sign-in at BankDesk and goes through the provider (its login form as `login`,
 * then its consent form) until the provider sends the browser back: the callback URL.
 */
export async function throughTestProvider(
  app: { url: string },
  idp: { issuer: string },
  browser: CookieBrowser,
  login: string,
): Promise<string> {
  let res = await browser.get(`${app.url}/auth/sso/start`);
  expect(res.status).toBe(303);
  let url = res.headers.get("location")!;
  expect(url.startsWith(idp.issuer)).toBe(true);
  for (let i = 0; i < 12; i++) {
    if (url.startsWith(`${app.url}/auth/sso/callback`)) return url;
    res = await browser.get(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url).href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    expect(action && prompt, html).toBeTruthy();
    const form = new URLSearchParams({ prompt: prompt!, ...(prompt === "login" && { login, password: "anything" }) });
    res = await browser.get(new URL(action!, url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBeGreaterThanOrEqual(300);
    url = new URL(res.headers.get("location")!, url).href;
  }
  throw new Error("the provider never sent the browser back");
}
