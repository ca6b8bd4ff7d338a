-- Files customers attach in the widget (images and PDF). The bytes live in the
-- attachment store (DATA_DIR/attachments by default); this row is who may see them.

CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The uploader: a contact (widget) or an agent.
  contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
  agent_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  -- Set when a message references it: from then on the conversation decides who may read it.
  conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
  name text NOT NULL,
  -- Detected from the file's first bytes, never taken from the client.
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf')),
  size integer NOT NULL CHECK (size > 0),
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  -- An upload re-sent with the same client id (lost response) is stored once.
  client_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contact_id, client_id)
);
CREATE INDEX attachments_conversation ON attachments (conversation_id);
CREATE INDEX attachments_contact ON attachments (contact_id, created_at DESC);
