-- Customer segments (issue #17 §3: "saved filters on attributes, tags, products and
-- behaviour, usable in routing, reports and views"). An admin saves a filter on
-- contacts under a name; agents pick it in the conversation list, and the reports'
-- overview is filtered by it. `criteria` is validated by the server
-- (server/segments/segmentCriteria.ts): every condition set must hold.
CREATE TABLE IF NOT EXISTS segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  description text CHECK (char_length(description) <= 500),
  criteria jsonb NOT NULL,
  created_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS segments_name ON segments (lower(name));
