-- NPS and early warning (issue #17 §4).

-- One Net Promoter survey per resolved conversation: asked when it was resolved on an
-- inbox that asks (settings.npsEnabled), answered with 0–10 and an optional "why?".
-- `score` is null while the survey is pending; a channel reply counts only then.
CREATE TABLE IF NOT EXISTS nps_responses (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  -- The question as sent on a channel (e-mail, SMS, WhatsApp); null on the website.
  question_message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
  asked_at timestamptz NOT NULL DEFAULT now(),
  score integer CHECK (score BETWEEN 0 AND 10),
  comment text,
  answered_at timestamptz,
  CHECK ((score IS NULL) = (answered_at IS NULL))
);
-- A channel reply looks for the customer's pending survey on the inbox.
CREATE INDEX IF NOT EXISTS nps_responses_pending ON nps_responses (inbox_id, contact_id, asked_at DESC) WHERE score IS NULL;
CREATE INDEX IF NOT EXISTS nps_responses_answered ON nps_responses (answered_at) WHERE score IS NOT NULL;
CREATE INDEX IF NOT EXISTS nps_responses_contact ON nps_responses (contact_id, answered_at DESC);

-- Thresholds an admin sets; a periodic check compares each with its metric over its window.
CREATE TABLE IF NOT EXISTS early_warning_thresholds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  metric text NOT NULL CHECK (metric IN ('complaints_per_category', 'negative_share', 'sla_breaches', 'unanswered_question')),
  -- Reached when the metric is at or above it: a count, or a share from 0 to 1 (negative_share).
  threshold numeric NOT NULL CHECK (threshold > 0),
  window_minutes integer NOT NULL CHECK (window_minutes BETWEEN 5 AND 43200),
  -- negative_share: fewer conversations than this in the window decide nothing.
  min_conversations integer NOT NULL DEFAULT 10 CHECK (min_conversations >= 1),
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- An alert per crossing: `subject` is what crossed (a complaint category, a question's
-- key; '' for a metric with one value). While an alert is open (recovered_at null) the
-- same threshold and subject raise no other; once the metric falls below it recovers.
CREATE TABLE IF NOT EXISTS early_warning_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  threshold_id uuid NOT NULL REFERENCES early_warning_thresholds (id) ON DELETE CASCADE,
  subject text NOT NULL DEFAULT '',
  label text NOT NULL,
  value numeric NOT NULL,
  threshold numeric NOT NULL,
  window_minutes integer NOT NULL,
  -- The conversations behind the figure when it was raised (at most 200).
  conversation_ids uuid[] NOT NULL DEFAULT '{}',
  raised_at timestamptz NOT NULL DEFAULT now(),
  recovered_at timestamptz,
  acknowledged_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  acknowledged_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS early_warning_alerts_open ON early_warning_alerts (threshold_id, subject) WHERE recovered_at IS NULL;
CREATE INDEX IF NOT EXISTS early_warning_alerts_raised ON early_warning_alerts (raised_at DESC);
