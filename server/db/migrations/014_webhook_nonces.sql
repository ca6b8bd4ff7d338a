-- Nonces of signed webhook requests already handled (WeChat signs only token,
-- timestamp and nonce, not the body): a logged URL replayed is refused. Kept for
-- the timestamp window only.
CREATE TABLE IF NOT EXISTS webhook_nonces (
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  nonce text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (inbox_id, nonce)
);
CREATE INDEX IF NOT EXISTS webhook_nonces_seen_at ON webhook_nonces (seen_at);
