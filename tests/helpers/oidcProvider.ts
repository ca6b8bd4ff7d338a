import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider from "oidc-provider";

/** A user of the test identity provider: signs in with any password as `login` (oidc-provider's development forms). */
export interface TestUser {
  sub: string;
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
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
export async function startTestIdentityProvider(opts: { redirectUris: string[]; users: TestUser[] }): Promise<TestIdentityProvider> {
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
      },
    ],
    jwks: { keys: [jwk] },
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ email_verified: true, ...user }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    // The ID token carries the e-mail itself (a code flow also issues an access token, which would otherwise move it to userinfo).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
  });
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
