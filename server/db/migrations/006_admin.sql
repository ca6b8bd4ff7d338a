-- Administration: the managed label vocabulary, change timestamps, identity-secret
-- rotation, and indexes for the audit-log viewer.

-- conversations.labels stays a text[] of names; this table is the vocabulary the
-- console offers (colour, description). Names are stored as conversations store
-- them: trimmed and lower-cased.
CREATE TABLE labels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name = lower(btrim(name)) AND length(name) BETWEEN 1 AND 50),
  colour text NOT NULL DEFAULT '#667085' CHECK (colour ~ '^#[0-9a-f]{6}$'),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX labels_name ON labels (name);

ALTER TABLE canned_responses ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE teams ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE inboxes ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE inboxes ADD COLUMN identity_secret_rotated_at timestamptz;
ALTER TABLE agents ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
