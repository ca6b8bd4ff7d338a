-- The ID token of a single sign-on session (issue #13), sealed like the other secrets at rest
-- (it names the user), kept for the session's life only: RP-initiated logout sends it to the
-- provider as id_token_hint, so the provider knows whose session to end without asking. The
-- sign-in challenge carries it across the TOTP step of an SSO sign-in.
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS sso_id_token text;
ALTER TABLE agent_sign_in_challenges ADD COLUMN IF NOT EXISTS sso_id_token text;
