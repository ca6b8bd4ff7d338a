// openid-client and jose (~6 and ~7 MB of idle RSS, each imported alone here) are loaded
// with the first sign-in or logout token, not in every web process at start.
import type * as oidc from "openid-client";
import type { createRemoteJWKSet, JWTPayload } from "jose";
import type { Config } from "../config.ts";
import { strengthRequirement } from "./authenticationStrength.ts";

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
  | "OIDC_ACR_VALUES"
  | "OIDC_AMR_VALUES"
  | "OIDC_POST_LOGOUT_REDIRECT_URL"
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

/** The event a back-channel logout token carries (OpenID Connect Back-Channel Logout 1.0, §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** What a verified logout token names: the provider's session and/or the user, and its id for replay checks. */
export interface LogoutToken {
  issuer: string;
  jti: string;
  sid?: string;
  sub?: string;
  /** Until when the token could be accepted at all: its jti is remembered until then. */
  acceptableUntil: Date;
}

/** A logout token failed a check: `check` names which (for the audit record; never the token). */
export class LogoutTokenRejected extends Error {
  constructor(public readonly check: string) {
    super(`logout token refused: ${check}`);
    this.name = "LogoutTokenRejected";
  }
}

/** How old a logout token may be (its iat), and the clock skew allowed. */
const LOGOUT_TOKEN_MAX_AGE_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 60;

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
  private jwks?: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> };

  constructor(private readonly config: SsoConfig) {}

  private configuration(): Promise<oidc.Configuration> {
    const c = this.config;
    this.discovered ??= import("openid-client")
      .then((oidc) =>
        oidc.discovery(new URL(c.OIDC_ISSUER_URL!), c.OIDC_CLIENT_ID!, undefined, oidc.ClientSecretPost(c.OIDC_CLIENT_SECRET!), {
          // http:// only outside production (config.ts refuses it there): a provider on the developer's machine.
          execute: c.OIDC_ISSUER_URL!.startsWith("http:")
            ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
            : [oidc.enableNonRepudiationChecks],
          timeout: 10,
        }),
      )
      .catch((err: unknown) => {
        this.discovered = undefined;
        throw err;
      });
    return this.discovered;
  }

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const configuration = await this.configuration();
    const oidc = await import("openid-client");
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const acrValues = strengthRequirement(this.config).acr;
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.OIDC_REDIRECT_URL!,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
      // Asks the provider for the authentication strength the bank requires; the ID token's acr is checked anyway.
      ...(acrValues.length > 0 && { acr_values: acrValues.join(" ") }),
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * The provider's answer at the redirect URL (its query string), checked against what
   * this browser's sign-in started with, exchanged for tokens; the ID token's claims, and
   * the token itself (sent back as id_token_hint at RP-initiated logout).
   */
  async complete(
    query: string,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ claims: IdTokenClaims; idToken: string }> {
    const configuration = await this.configuration();
    const oidc = await import("openid-client");
    const current = new URL(this.config.OIDC_REDIRECT_URL!);
    current.search = query;
    const tokens = await oidc.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error("the provider answered without an ID token");
    return { claims, idToken: tokens.id_token };
  }

  /**
   * Verifies a back-channel logout token (Back-Channel Logout 1.0, §2.6): signed by one
   * of the provider's published keys (asymmetric algorithms only), issued by the provider
   * for our client, recent (iat), with a jti, the back-channel logout event, a sid or a
   * sub, and no nonce (so an ID token cannot pass for a logout token). Replays are the
   * caller's to refuse, by jti.
   */
  async verifyLogoutToken(token: string): Promise<LogoutToken> {
    const configuration = await this.configuration();
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri) throw new LogoutTokenRejected("no_jwks_uri");
    const { createRemoteJWKSet, errors: joseErrors, jwtVerify } = await import("jose");
    if (this.jwks?.uri !== metadata.jwks_uri) this.jwks = { uri: metadata.jwks_uri, keys: createRemoteJWKSet(new URL(metadata.jwks_uri)) };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks.keys, {
        issuer: metadata.issuer,
        audience: this.config.OIDC_CLIENT_ID!,
        algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"],
        maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["iat", "jti", "events"],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw new LogoutTokenRejected(`claim_${err.claim}`);
      if (err instanceof joseErrors.JWTExpired) throw new LogoutTokenRejected("claim_exp");
      // The provider's keys could not be fetched in time: not the token's fault (the caller answers 503).
      if (err instanceof joseErrors.JWKSTimeout) throw err;
      if (err instanceof joseErrors.JOSEError) throw new LogoutTokenRejected(err.code.toLowerCase());
      throw err;
    }
    const events = payload.events;
    const event = events !== null && typeof events === "object" ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT] : undefined;
    if (event === null || typeof event !== "object" || Array.isArray(event)) throw new LogoutTokenRejected("claim_events");
    if ("nonce" in payload) throw new LogoutTokenRejected("claim_nonce");
    if (typeof payload.jti !== "string" || payload.jti.length === 0 || payload.jti.length > 200) throw new LogoutTokenRejected("claim_jti");
    const text = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 500 ? v : undefined);
    const sid = text(payload.sid);
    const sub = text(payload.sub);
    if (!sid && !sub) throw new LogoutTokenRejected("claim_sid_or_sub");
    const issuedAt = payload.iat! * 1000;
    const acceptableUntil = new Date(Math.max(issuedAt, Date.now()) + (LOGOUT_TOKEN_MAX_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000);
    return { issuer: metadata.issuer, jti: payload.jti, sid, sub, acceptableUntil };
  }

  /**
   * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): where to send the
   * browser so the provider ends its own session too; undefined without
   * OIDC_POST_LOGOUT_REDIRECT_URL, or when the provider publishes no end_session_endpoint
   * (or cannot be reached just now: signing out of BankDesk still works).
   */
  async endSessionUrl(idTokenHint?: string): Promise<URL | undefined> {
    const postLogout = this.config.OIDC_POST_LOGOUT_REDIRECT_URL;
    if (!postLogout) return undefined;
    const configuration = await this.configuration().catch(() => undefined);
    if (!configuration?.serverMetadata().end_session_endpoint) return undefined;
    const oidc = await import("openid-client");
    // The session's own ID token tells the provider whose session to end (RP-Initiated Logout 1.0 §2).
    return oidc.buildEndSessionUrl(configuration, {
      client_id: this.config.OIDC_CLIENT_ID!,
      post_logout_redirect_uri: postLogout,
      ...(idTokenHint && { id_token_hint: idTokenHint }),
    });
  }

  get issuer(): string {
    return this.config.OIDC_ISSUER_URL!;
  }
}

const clients = new WeakMap<object, OidcClient>();

/** The one relying party of an app (its discovery and keys are cached), keyed by the app's context. */
export function oidcClientFor(ctx: { config: SsoConfig }): OidcClient {
  let client = clients.get(ctx);
  if (!client) clients.set(ctx, (client = new OidcClient(ctx.config)));
  return client;
}
