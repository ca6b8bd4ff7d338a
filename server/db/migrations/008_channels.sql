-- Channels (e-mail, SMS, WhatsApp, WeChat, the API channel) and outgoing webhooks.

-- Per-inbox provider credentials and settings, validated by the channel's adapter
-- (server/channels). A column of its own rather than inboxes.settings, because
-- settings are shown to the widget and the console while these hold secrets.
ALTER TABLE inboxes ADD COLUMN channel_config jsonb NOT NULL DEFAULT '{}';
-- The API channel's key: only its SHA-256 is kept; the key is shown once.
ALTER TABLE inboxes ADD COLUMN api_key_hash text;
CREATE UNIQUE INDEX inboxes_api_key_hash ON inboxes (api_key_hash) WHERE api_key_hash IS NOT NULL;

-- Provider message ids seen on an inbox, both ways: inbound ones make provider
-- retries idempotent; e-mail Message-IDs (inbound and outbound) thread replies to
-- their conversation through In-Reply-To / References.
CREATE TABLE channel_messages (
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  provider_id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (inbox_id, provider_id)
);
CREATE INDEX channel_messages_conversation ON channel_messages (conversation_id, created_at);

-- Outgoing webhooks: the bank's systems subscribe to domain events.
CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url text NOT NULL,
  description text,
  events text[] NOT NULL,
  -- Signs deliveries (HMAC-SHA256); kept as is because signing needs it.
  secret text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every delivery attempt, successful or not.
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id uuid NOT NULL,
  event text NOT NULL,
  attempt integer NOT NULL,
  success boolean NOT NULL,
  status_code integer,
  error text,
  duration_ms integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);
