-- Early warning per inbox (issue #17 §4). A threshold with an inbox counts that inbox's
-- conversations, cases, breaches and questions only; without one it is the
-- organisation's. An inbox with an active threshold of its own for a metric is left out
-- of the organisation's thresholds of that metric (its own replace them: a busy WeChat
-- account gets a higher bar without raising the whole bank's); the others fall back to
-- the organisation's. The inbox is fixed when the threshold is made, as its metric.
ALTER TABLE early_warning_thresholds ADD COLUMN IF NOT EXISTS inbox_id uuid REFERENCES inboxes (id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS early_warning_thresholds_inbox ON early_warning_thresholds (metric, inbox_id) WHERE active AND inbox_id IS NOT NULL;
