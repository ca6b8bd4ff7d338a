-- Service levels for every conversation (issue #17 §2): policies with first-response,
-- next-response and resolution targets, the state of each conversation against the
-- policy that applies to it, and the near-breach and breach alerts (server/sla/).

-- Policies are retired, never deleted: the conversations measured against one keep
-- it, and the attainment reports keep counting them.
CREATE TABLE sla_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 80),
  -- Precedence: of the active policies whose conditions all match, the lowest position wins
  -- (then the oldest). A policy without conditions matches every conversation.
  position integer NOT NULL DEFAULT 100 CHECK (position BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  first_response_minutes integer CHECK (first_response_minutes BETWEEN 1 AND 525600),
  next_response_minutes integer CHECK (next_response_minutes BETWEEN 1 AND 525600),
  resolution_minutes integer CHECK (resolution_minutes BETWEEN 1 AND 525600),
  -- Counted in the inbox's working hours (24/7 when it has none), or around the clock.
  business_hours boolean NOT NULL DEFAULT true,
  -- Public holidays (closed) and make-up working days of a business calendar (cases/businessCalendar.ts).
  holiday_calendar text CHECK (holiday_calendar IN ('cn', 'uk', 'us')),
  -- Conditions: empty means any; within one, any value matches; across them, all must.
  inbox_ids uuid[] NOT NULL DEFAULT '{}',
  team_ids uuid[] NOT NULL DEFAULT '{}',
  priorities text[] NOT NULL DEFAULT '{}',
  labels text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per conversation that has been with people: the policy applied, when its
-- clocks started, each target's due time (and the 80 % mark) and when it was met.
CREATE TABLE conversation_slas (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  policy_id uuid REFERENCES sla_policies (id),
  started_at timestamptz NOT NULL,
  first_response_due_at timestamptz,
  first_response_near_at timestamptz,
  first_response_at timestamptz,
  -- The customer message that started the current wait for a reply after the first one.
  next_response_since timestamptz,
  next_response_due_at timestamptz,
  next_response_near_at timestamptz,
  next_responses_met integer NOT NULL DEFAULT 0,
  next_responses_missed integer NOT NULL DEFAULT 0,
  resolution_due_at timestamptz,
  resolution_near_at timestamptz,
  resolved_at timestamptz,
  -- When each target was breached (the due time), set by the clock check or a late reply.
  first_response_breached_at timestamptz,
  next_response_breached_at timestamptz,
  resolution_breached_at timestamptz,
  -- The soonest due time among the running targets: the console sorts by it.
  next_due_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_slas_next_due ON conversation_slas (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX conversation_slas_policy_started ON conversation_slas (policy_id, started_at);

-- Each alert once per conversation, target, level and due time (a wait that starts again alerts again).
CREATE TABLE sla_alerts (
  id bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  policy_id uuid REFERENCES sla_policies (id),
  metric text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
  level text NOT NULL CHECK (level IN ('near_breach', 'breach')),
  due_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, metric, level, due_at)
);
