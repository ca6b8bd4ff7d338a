-- Staff two-factor sign-in (issue #13): a TOTP secret per agent (RFC 6238), one-time
-- recovery codes, the short-lived challenge between the password and the code, and
-- the organisation's setting that requires two-factor sign-in of all staff.

-- Sealed with SECRET_KEY (server/auth/twoFactorSecret.ts), never plain text. The
-- pending secret is one being enrolled: it turns into totp_secret only when the agent
-- proves with a code that their authenticator holds it.
ALTER TABLE agents ADD COLUMN IF NOT EXISTS totp_secret text;
ALTER TABLE agents ADD COLUMN IF NOT EXISTS totp_pending_secret text;
ALTER TABLE agents ADD COLUMN IF NOT EXISTS totp_enabled_at timestamptz;
-- The last 30-second step whose code was accepted: that code and older ones are
-- refused afterwards, so a code seen over a shoulder or in a proxy log cannot be replayed.
ALTER TABLE agents ADD COLUMN IF NOT EXISTS totp_last_step bigint;

-- Only SHA-256 hashes of the codes (80 random bits each: too many to guess, so a slow
-- hash would add nothing). A code is used once: used_at is set by the statement that accepts it.
CREATE TABLE IF NOT EXISTS agent_recovery_codes (
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, code_hash)
);

-- A correct password of an agent with two-factor sign-in opens one of these (5 minutes),
-- not a session; the client holds the token, the database its SHA-256.
CREATE TABLE IF NOT EXISTS agent_sign_in_challenges (
  token_hash text PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS agent_sign_in_challenges_agent ON agent_sign_in_challenges (agent_id);

-- Settings of the whole organisation (one row): the first is whether every console
-- user must sign in with a second factor.
CREATE TABLE IF NOT EXISTS organisation_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  require_staff_two_factor boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO organisation_settings (id) VALUES (true) ON CONFLICT (id) DO NOTHING;
