import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { Agent } from "./directory.ts";

/**
 * Console sign-in (server/services/web/routes/auth.ts, securityKeys.ts,
 * server/twoFactor/, server/sso/): the session itself is an httpOnly cookie, never
 * in these bodies.
 */

/** A completed sign-in (POST /auth/login, /auth/login/two-factor, …/security-key, …/passkey) and GET /auth/me. */
export interface SignedIn {
  agent: Agent;
  /** Sent back in a header on every write. */
  csrfToken: string;
  /** mustEnrol: the organisation requires two-factor sign-in and this agent has to set it up first. */
  twoFactor: { enabled: boolean; mustEnrol: boolean };
}

/** GET /auth/session: whether this browser is signed in (200 either way). */
export type SessionState = (SignedIn & { signedIn: true }) | { signedIn: false };

export type SecondFactorMethod = "totp" | "security_key";

/** A password accepted for an agent with a second factor: the 5-minute challenge for the next step, not a session. */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  challenge: string;
  expiresAt: string;
  methods: SecondFactorMethod[];
}

/** POST /auth/login. */
export type PasswordSignIn = SignedIn | TwoFactorChallenge;

/**
 * POST /auth/login/passkey/options: the WebAuthn request options for any passkey of this
 * site, and the attempt token that binds their challenge, sent back with the answer.
 */
export interface PasskeySignInOptions {
  attempt: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** The sign-in methods the server offers (GET /auth/sso). */
export interface SignInMethods {
  /** Single sign-on through the organisation's identity provider. */
  enabled: boolean;
  providerName: string | null;
  startUrl: string | null;
  passwordSignIn: boolean;
  /** A passkey (with its PIN or fingerprint) signs in without e-mail or password. */
  passkeySignIn: boolean;
}

/** The signed-in agent's second factors (GET /auth/two-factor). */
export interface TwoFactorStatus {
  /** An authenticator app is set up. */
  enabled: boolean;
  enabledAt: string | null;
  /** The organisation requires two-factor sign-in of its staff. */
  required: boolean;
  recoveryCodesLeft: number;
  /** Security keys and passkeys registered: a second factor of their own. */
  securityKeys: number;
}

/** A security key or passkey as its owner lists it (GET /auth/security-keys): never its public key or counter. */
export interface SecurityKey {
  id: string;
  name: string;
  transports: string[];
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

/** GET /auth/security-keys: `available` is false while the server has no WebAuthn relying party configured. */
export interface SecurityKeyList {
  available: boolean;
  items: SecurityKey[];
}

/** POST /auth/two-factor/enrolment: a new secret and its otpauth:// URI for an authenticator app, shown once. */
export interface TwoFactorEnrolment {
  secret: string;
  otpauthUri: string;
}

/** POST /auth/two-factor/enrolment/confirm and /auth/two-factor/recovery-codes: ten one-time recovery codes, shown once. */
export interface RecoveryCodes {
  recoveryCodes: string[];
}

/** POST /auth/logout: with `endSessionUrl` (single sign-on), the console goes there to sign out at the provider too; empty otherwise. */
export interface SignedOut {
  endSessionUrl?: string;
}
