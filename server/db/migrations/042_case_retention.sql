-- Retention of complaint cases (issues #13 and #17). A closed case is a regulatory record
-- with its own period, set for the whole organisation: how many days after it was
-- closed its free text is removed (the row, dates, clocks and classification stay for
-- the complaints reports). Null: kept for ever. At least a year (see
-- updateOrganisationSettings for why).
ALTER TABLE organisation_settings ADD COLUMN IF NOT EXISTS case_retention_days integer
  CHECK (case_retention_days IS NULL OR case_retention_days BETWEEN 365 AND 36500);

-- Set when retention anonymised the case: the daily run passes it by, and its customer
-- may then be anonymised too.
ALTER TABLE cases ADD COLUMN IF NOT EXISTS anonymised_at timestamptz;
-- An anonymised case keeps no summary; any other still needs one.
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_summary_check;
ALTER TABLE cases ADD CONSTRAINT cases_summary_check
  CHECK (char_length(summary) <= 2000 AND (char_length(summary) >= 1 OR anonymised_at IS NOT NULL));
CREATE INDEX IF NOT EXISTS cases_retention ON cases (closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;
