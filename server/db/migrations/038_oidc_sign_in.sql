-- OpenID Connect single sign-on for staff (issue #13, server/sso).

-- An agent's identity at the bank's identity provider: the first SSO sign-in matches the
-- agent by verified e-mail and records the (issuer, subject) pair; later sign-ins go by
-- the pair, so an e-mail changed or reused at the provider does not move the account.
CREATE TABLE IF NOT EXISTS agent_sso_identities (
  issuer text NOT NULL,
  subject text NOT NULL,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX IF NOT EXISTS agent_sso_identities_agent ON agent_sso_identities (agent_id);

-- One sign-in on its way through the identity provider (10 minutes): the browser holds an
-- opaque id in a cookie, the database its SHA-256 with the state, nonce and PKCE verifier
-- the answer is checked against. A row is deleted by the callback that uses it.
CREATE TABLE IF NOT EXISTS sso_sign_in_flows (
  id_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Whether the session was opened by an SSO sign-in at a provider that enforces its own
-- second factor (OIDC_IDP_ENFORCES_MFA): such a session counts as two-factor.
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS idp_mfa boolean NOT NULL DEFAULT false;
