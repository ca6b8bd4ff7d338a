-- Security keys and passkeys (WebAuthn) as a second factor for staff (issue #13,
-- server/auth/securityKeys.ts).

-- One row per registered credential. The public key is not a secret (it only checks
-- signatures), so it is stored as the authenticator gave it (COSE). The signature
-- counter only grows on a genuine key: a sign-in whose counter is not above the stored
-- one is refused as a possible clone (zero on both sides means the key keeps no counter,
-- as synced passkeys do).
CREATE TABLE IF NOT EXISTS agent_security_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  credential_id text NOT NULL UNIQUE,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL,
  aaguid text,
  backed_up boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX IF NOT EXISTS agent_security_keys_agent ON agent_security_keys (agent_id);

-- WebAuthn challenges: random, single-use (deleted by the statement that accepts one),
-- short-lived, and bound to what asked for them: a registration to the console session
-- (the SHA-256 of its token), a sign-in to the sign-in attempt (the hash of its challenge
-- token), so one cannot be answered from another session or attempt.
CREATE TABLE IF NOT EXISTS agent_webauthn_challenges (
  challenge text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('registration', 'sign_in')),
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  bound_to text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS agent_webauthn_challenges_agent ON agent_webauthn_challenges (agent_id);
