-- The conversation core (Chatwoot's model): inboxes, contacts, conversations,
-- messages, agents, teams, sessions, audit log.

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'agent', 'content')),
  password_hash text NOT NULL,
  availability text NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'away', 'offline')),
  capacity integer NOT NULL DEFAULT 10 CHECK (capacity >= 0),
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agents_email ON agents (lower(email));

CREATE TABLE team_members (
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, agent_id)
);

CREATE TABLE agent_sessions (
  token_hash text PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);

CREATE TABLE inboxes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('web', 'email', 'sms', 'whatsapp', 'wechat', 'api')),
  -- greeting, working hours and time zone, CSAT, pre-chat fields, require verification...
  settings jsonb NOT NULL DEFAULT '{}',
  identity_secret text NOT NULL,
  default_team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text,
  email text,
  phone text,
  -- The bank's own customer id, set only from a verified identity (HMAC).
  external_id text UNIQUE,
  verified boolean NOT NULL DEFAULT false,
  attributes jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- How a contact is known on one inbox (a widget session, a phone number, an openid).
CREATE TABLE contact_inboxes (
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  source_id text NOT NULL,
  PRIMARY KEY (inbox_id, source_id)
);
CREATE INDEX contact_inboxes_contact ON contact_inboxes (contact_id);

-- A widget visitor's revocable session: the token lives in the browser, its hash here.
CREATE TABLE widget_sessions (
  token_hash text PRIMARY KEY,
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  verified boolean NOT NULL DEFAULT false,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX widget_sessions_contact ON widget_sessions (contact_id);

CREATE SEQUENCE conversation_display_id;

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_id integer NOT NULL UNIQUE DEFAULT nextval('conversation_display_id'),
  inbox_id uuid NOT NULL REFERENCES inboxes (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'snoozed', 'resolved')),
  priority text NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high', 'urgent')),
  assignee_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
  labels text[] NOT NULL DEFAULT '{}',
  handoff_reason text,
  snoozed_until timestamptz,
  -- Since when the customer has been waiting for a human answer (null: not waiting).
  waiting_since timestamptz,
  first_reply_at timestamptz,
  handed_off_at timestamptz,
  resolved_at timestamptz,
  last_seq integer NOT NULL DEFAULT 0,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  sentiment_label text,
  sentiment_score real,
  -- Per-conversation state of the assistant (declined turns, pending confirmations...).
  bot_state jsonb NOT NULL DEFAULT '{}',
  external_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_contact ON conversations (contact_id, created_at DESC);
CREATE INDEX conversations_inbox_status ON conversations (status, last_activity_at DESC);
CREATE INDEX conversations_assignee ON conversations (assignee_id, status);
CREATE INDEX conversations_team ON conversations (team_id, status);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  message_type text NOT NULL CHECK (message_type IN ('incoming', 'outgoing', 'activity')),
  private boolean NOT NULL DEFAULT false,
  sender_type text NOT NULL CHECK (sender_type IN ('contact', 'agent', 'bot', 'system')),
  sender_id uuid,
  content text NOT NULL DEFAULT '',
  -- citations, quick replies, the assistant's trace, sentiment, delivery status...
  content_attributes jsonb NOT NULL DEFAULT '{}',
  attachments jsonb NOT NULL DEFAULT '[]',
  client_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq),
  UNIQUE (conversation_id, client_id)
);

CREATE TABLE csat_responses (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  actor_type text NOT NULL CHECK (actor_type IN ('agent', 'contact', 'bot', 'system')),
  actor_id uuid,
  action text NOT NULL,
  target_type text,
  target_id text,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC);

-- Jobs that exhausted their retries (both queue backends record them here).
CREATE TABLE failed_jobs (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  name text NOT NULL,
  job_id text,
  data jsonb NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
