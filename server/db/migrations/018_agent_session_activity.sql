-- Console sessions end after inactivity (SESSION_IDLE_MINUTES), and admins see and
-- end them: each gets an id to name it by, its last user activity, and where it
-- was opened from.
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS last_active_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS ip text;
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS user_agent text;
CREATE UNIQUE INDEX IF NOT EXISTS agent_sessions_id ON agent_sessions (id);
