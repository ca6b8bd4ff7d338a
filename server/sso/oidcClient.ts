import * as oidc from "openid-client";
import type { Config } from "../config.ts";

export type SsoConfig = Pick<
  Config,
  | "OIDC_ISSUER_URL"
  | "OIDC_CLIENT_ID"
  | "OIDC_CLIENT_SECRET"
  | "OIDC_REDIRECT_URL"
  | "OIDC_PROVIDER_NAME"
  | "OIDC_SCOPES"
  | "OIDC_ROLE_CLAIM"
  | "OIDC_ADMIN_VALUES"
  | "OIDC_AGENT_VALUES"
  | "OIDC_PROVISION_USERS"
  | "OIDC_IDP_ENFORCES_MFA"
  | "PASSWORD_SIGN_IN"
  | "isProduction"
>;

/** Single sign-on is on when the four connection settings are there (config.ts refuses half of them). */
export const ssoEnabled = (c: SsoConfig): boolean =>
  Boolean(c.OIDC_ISSUER_URL && c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET && c.OIDC_REDIRECT_URL);

/** What the browser must keep between the redirect to the provider and the way back. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The ID token's claims once openid-client has checked it. */
export type IdTokenClaims = oidc.IDToken;

/**
 * The relying party, on openid-client (panva; certified). Discovery runs at the first
 * sign-in and again after a failure, so a provider that was down at start does not
 * disable SSO until a restart. Every ID token is checked for signature (the provider's
 * JWKS; enableNonRepudiationChecks, which openid-client leaves off by default for tokens
 * from the token endpoint), issuer, audience, expiry, nonce; the answer for state; the
 * code exchange carries the PKCE verifier.
 */
export class OidcClient {
  private discovered?: Promise<oidc.Configuration>;

  constructor(private readonly config: SsoConfig) {}

  private configuration(): Promise<oidc.Configuration> {
    const c = this.config;
    this.discovered ??= oidc
      .discovery(new URL(c.OIDC_ISSUER_URL!), c.OIDC_CLIENT_ID!, undefined, oidc.ClientSecretPost(c.OIDC_CLIENT_SECRET!), {
        // http:// only outside production (config.ts refuses it there): a provider on the developer's machine.
        execute: c.OIDC_ISSUER_URL!.startsWith("http:")
          ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
          : [oidc.enableNonRepudiationChecks],
        timeout: 10,
      })
      .catch((err: unknown) => {
        this.discovered = undefined;
        throw err;
      });
    return this.discovered;
  }

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const configuration = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.OIDC_REDIRECT_URL!,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * The provider's answer at the redirect URL (its query string), checked against what
   * this browser's sign-in started with, exchanged for tokens; the ID token's claims.
   */
  async complete(query: string, expected: { state: string; nonce: string; codeVerifier: string }): Promise<IdTokenClaims> {
    const configuration = await this.configuration();
    const current = new URL(this.config.OIDC_REDIRECT_URL!);
    current.search = query;
    const tokens = await oidc.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error("the provider answered without an ID token");
    return claims;
  }

  get issuer(): string {
    return this.config.OIDC_ISSUER_URL!;
  }
}
