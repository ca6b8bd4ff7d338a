-- Retention and privacy requests (issue #13). Per inbox: how many days after a
-- conversation is resolved it is removed, and how (deleted outright, or anonymised:
-- the conversation's figures stay for reports, its content goes). Null days: kept.
ALTER TABLE inboxes ADD COLUMN IF NOT EXISTS retention_days integer CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 36500);
ALTER TABLE inboxes ADD COLUMN IF NOT EXISTS retention_action text NOT NULL DEFAULT 'delete' CHECK (retention_action IN ('delete', 'anonymise'));

-- Set when retention (or an erasure) anonymised it: the daily run passes it by.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS anonymised_at timestamptz;
CREATE INDEX IF NOT EXISTS conversations_retention ON conversations (inbox_id, resolved_at) WHERE status = 'resolved' AND anonymised_at IS NULL;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS anonymised_at timestamptz;

-- Which conversation a delivery was about, so its log goes with the conversation
-- (no foreign key: the log row is written after the event, whatever happened since).
ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS conversation_id uuid;
CREATE INDEX IF NOT EXISTS webhook_deliveries_conversation ON webhook_deliveries (conversation_id) WHERE conversation_id IS NOT NULL;

-- A legal hold stops retention and erasure for one customer or one conversation
-- until an admin releases it. Kept after release (who held what, and why).
CREATE TABLE IF NOT EXISTS legal_holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  released_by uuid,
  CHECK ((contact_id IS NULL) <> (conversation_id IS NULL))
);
CREATE INDEX IF NOT EXISTS legal_holds_contact ON legal_holds (contact_id) WHERE released_at IS NULL;
CREATE INDEX IF NOT EXISTS legal_holds_conversation ON legal_holds (conversation_id) WHERE released_at IS NULL;
