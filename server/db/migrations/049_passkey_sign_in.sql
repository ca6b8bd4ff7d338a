-- Passwordless sign-in with a passkey (issue #13, server/auth/passkeySignIn.ts): the
-- browser asks for "any passkey of this site", so the challenge is issued before anyone
-- is known. It is bound to the sign-in attempt (the hash of a token the browser holds),
-- single-use and short-lived like the others, and names no agent until it is answered.
ALTER TABLE agent_webauthn_challenges DROP CONSTRAINT IF EXISTS agent_webauthn_challenges_purpose_check;
ALTER TABLE agent_webauthn_challenges
  ADD CONSTRAINT agent_webauthn_challenges_purpose_check CHECK (purpose IN ('registration', 'sign_in', 'passkey'));
ALTER TABLE agent_webauthn_challenges ALTER COLUMN agent_id DROP NOT NULL;
ALTER TABLE agent_webauthn_challenges DROP CONSTRAINT IF EXISTS agent_webauthn_challenges_agent_named;
ALTER TABLE agent_webauthn_challenges
  ADD CONSTRAINT agent_webauthn_challenges_agent_named CHECK ((purpose = 'passkey') = (agent_id IS NULL));
