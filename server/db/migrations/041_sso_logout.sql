-- OpenID Connect back-channel logout (issue #13, server/sso/endSsoSessions.ts).

-- Who the identity provider says opened a console session: its issuer, the user's subject
-- and the provider's session id (`sid`). A logout token names a sid and/or a subject, and
-- the sessions it names are ended. NULL for password sign-ins.
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS sso_issuer text;
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS sso_subject text;
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS sso_sid text;
CREATE INDEX IF NOT EXISTS agent_sessions_sso_sid ON agent_sessions (sso_issuer, sso_sid) WHERE sso_sid IS NOT NULL;
CREATE INDEX IF NOT EXISTS agent_sessions_sso_subject ON agent_sessions (sso_issuer, sso_subject) WHERE sso_subject IS NOT NULL;

-- The same for an SSO sign-in waiting for the agent's TOTP code: the session it opens
-- carries them.
ALTER TABLE agent_sign_in_challenges ADD COLUMN IF NOT EXISTS sso_issuer text;
ALTER TABLE agent_sign_in_challenges ADD COLUMN IF NOT EXISTS sso_subject text;
ALTER TABLE agent_sign_in_challenges ADD COLUMN IF NOT EXISTS sso_sid text;

-- Logout tokens already acted on, by (issuer, jti), so a captured token cannot be replayed.
-- Kept until the token would be too old to be accepted anyway.
CREATE TABLE IF NOT EXISTS sso_logout_tokens (
  issuer text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (issuer, jti)
);
