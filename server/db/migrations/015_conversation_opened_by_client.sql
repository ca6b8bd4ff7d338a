-- The client id of the widget message that opened a conversation: a re-sent first
-- message (the widget retries with the same client id when the acknowledgement
-- was lost) finds its conversation instead of opening a second one.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS opened_by_client_id text;
CREATE UNIQUE INDEX IF NOT EXISTS conversations_opened_by_client
  ON conversations (contact_id, opened_by_client_id) WHERE opened_by_client_id IS NOT NULL;
