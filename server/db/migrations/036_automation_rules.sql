-- Automation rules (issue #17 §2, Chatwoot's idea: event + conditions + actions) and
-- the snooze pauses of service-level clocks (server/automation/, server/sla/).

-- Rules are deleted for real (unlike SLA policies: nothing is measured against them);
-- their runs keep the rule's name, so "why did this change" still has an answer.
CREATE TABLE automation_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 80),
  description text CHECK (char_length(description) <= 500),
  active boolean NOT NULL DEFAULT true,
  event text NOT NULL CHECK (event IN ('conversation_created', 'customer_message_created', 'conversation_status_changed',
    'conversation_updated', 'sentiment_negative', 'sla_near_breach', 'sla_breach', 'no_reply')),
  -- For 'no_reply': hours without a customer-facing reply to the waiting customer.
  no_reply_hours numeric(6, 2) CHECK (no_reply_hours > 0 AND no_reply_hours <= 720),
  -- Validated on write (automation/automationRuleInput.ts): all-of conditions, actions in order.
  conditions jsonb NOT NULL DEFAULT '{}',
  actions jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((event = 'no_reply') = (no_reply_hours IS NOT NULL))
);
CREATE INDEX automation_rules_event ON automation_rules (event) WHERE active;

-- A rule's run on an event whose conditions held (a rule that did not apply leaves no
-- row). One per rule and event: the key makes a run idempotent (a retried job, two
-- workers) and is what stops a rule from firing twice for the same happening.
CREATE TABLE automation_rule_runs (
  id bigserial PRIMARY KEY,
  rule_id uuid REFERENCES automation_rules (id) ON DELETE SET NULL,
  rule_name text NOT NULL,
  conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
  event text NOT NULL,
  event_key text NOT NULL,
  actions_taken jsonb NOT NULL DEFAULT '[]',
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, event_key)
);
CREATE INDEX automation_rule_runs_recent ON automation_rule_runs (created_at DESC);
CREATE INDEX automation_rule_runs_conversation ON automation_rule_runs (conversation_id, created_at DESC);

-- While a conversation is snoozed its SLA clocks stop: each snooze is a pause, and the
-- working time inside the pauses after a target started is added to its due time.
CREATE TABLE conversation_sla_pauses (
  id bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- At most one pause running per conversation.
CREATE UNIQUE INDEX conversation_sla_pauses_open ON conversation_sla_pauses (conversation_id) WHERE ended_at IS NULL;
CREATE INDEX conversation_sla_pauses_conversation ON conversation_sla_pauses (conversation_id, started_at);
