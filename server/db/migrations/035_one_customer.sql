-- One customer, every channel (issue #17 §3): the vulnerability flag an agent records
-- with the customer's consent, and merges of contacts that can be undone.

-- At most one flag per customer; removing it deletes the row (the audit log keeps the history).
CREATE TABLE IF NOT EXISTS contact_vulnerabilities (
  contact_id uuid PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('bereavement', 'illness', 'financial_difficulty', 'elderly', 'other')),
  -- Recorded only with the customer's consent: the flag is sensitive personal data.
  consent_confirmed boolean NOT NULL CHECK (consent_confirmed),
  note text NOT NULL,
  recorded_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- A merged contact stays (its row is what an undo restores to); it points at the survivor.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS merged_into uuid REFERENCES contacts (id);

-- Each merge with exactly what moved (ids of conversations, cases, channel identities,
-- widget sessions, fields copied), so that undoing it moves back those and nothing else.
CREATE TABLE IF NOT EXISTS contact_merges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survivor_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  merged_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  moved jsonb NOT NULL,
  merged_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  undone_at timestamptz
);
CREATE INDEX IF NOT EXISTS contact_merges_survivor ON contact_merges (survivor_id, merged_at DESC);
CREATE INDEX IF NOT EXISTS contact_merges_merged ON contact_merges (merged_id) WHERE undone_at IS NULL;
