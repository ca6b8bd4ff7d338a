-- Complaint cases (issue #17): a case of its own, linked to the customer and to one or
-- more conversations, with its regulatory clocks, owner, outcome and a timeline.

-- The taxonomy agents file a case under: categories (what went wrong) and products
-- (what it was about). Admins edit it; the seed is regulator-style (the classes of the
-- NFRA/CBIRC complaint statistics and the FCA's complaints return, in plain words).
CREATE TABLE case_taxonomy (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('category', 'product')),
  code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  name_en text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 80),
  name_zh text NOT NULL CHECK (char_length(name_zh) BETWEEN 1 AND 80),
  -- Retired entries stay for the cases filed under them, hidden from new ones.
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, code)
);

INSERT INTO case_taxonomy (kind, code, name_en, name_zh, position) VALUES
  ('category', 'fees_charges', 'Fees, charges and interest', '收费、费率与利息', 10),
  ('category', 'mis_selling', 'Sales and advice (mis-selling, suitability)', '营销宣传与销售适当性', 20),
  ('category', 'service_quality', 'Service quality and staff conduct', '服务质量与人员态度', 30),
  ('category', 'transactions', 'Payments, transfers and transactions', '支付、转账与交易', 40),
  ('category', 'account_management', 'Account opening, closing and management', '账户开立、销户与管理', 50),
  ('category', 'fraud_security', 'Fraud, scams and security', '欺诈、诈骗与账户安全', 60),
  ('category', 'credit_reporting', 'Credit reporting and debt collection', '征信与催收', 70),
  ('category', 'terms_contract', 'Terms, contracts and disclosure', '合同条款与信息披露', 80),
  ('category', 'privacy', 'Personal information and privacy', '个人信息保护', 90),
  ('category', 'digital_channels', 'App, online banking and ATMs', '手机银行、网银与自助设备', 100),
  ('category', 'other', 'Other', '其他', 1000),
  ('product', 'current_account', 'Current and savings accounts', '活期与储蓄账户', 10),
  ('product', 'debit_card', 'Debit cards', '借记卡', 20),
  ('product', 'credit_card', 'Credit cards', '信用卡', 30),
  ('product', 'personal_loan', 'Personal loans', '个人贷款', 40),
  ('product', 'mortgage', 'Mortgages', '住房贷款', 50),
  ('product', 'deposits', 'Time and instalment deposits', '定期与零存整取', 60),
  ('product', 'wealth', 'Wealth and investment products', '理财与投资产品', 70),
  ('product', 'insurance', 'Insurance sold by the bank', '代销保险', 80),
  ('product', 'payments', 'Transfers and payments', '转账汇款', 90),
  ('product', 'foreign_exchange', 'Foreign exchange', '外汇业务', 100),
  ('product', 'other', 'Other', '其他', 1000);

-- Customers quote CR-<year>-<6 digits>; the number comes from one sequence (it does
-- not restart each year: a reference is never reused, even across a year boundary).
CREATE SEQUENCE case_reference_number;

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  inbox_id uuid NOT NULL REFERENCES inboxes (id),
  team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
  owner_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  -- Agents who handled the complained-about conversations when they were linked: never the owner.
  handler_ids uuid[] NOT NULL DEFAULT '{}',
  source text NOT NULL CHECK (source IN ('assistant', 'agent', 'email')),
  language text NOT NULL CHECK (language IN ('en', 'zh')),
  summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 2000),
  category_id uuid REFERENCES case_taxonomy (id),
  product_id uuid REFERENCES case_taxonomy (id),
  severity text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'acknowledged', 'investigating', 'final_response', 'closed', 'reopened', 'escalated')),
  escalated_to text CHECK (escalated_to IN ('ombudsman', 'regulator')),
  -- The jurisdiction's rules as they were when the case was received (cases/jurisdictions.ts):
  -- a later change of the inbox setting does not move the deadlines of cases already running.
  jurisdiction text NOT NULL,
  policy jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  acknowledge_due_at timestamptz,
  acknowledged_at timestamptz,
  due_at timestamptz NOT NULL,
  -- Extensions granted (each approved and on the timeline).
  extensions integer NOT NULL DEFAULT 0,
  final_response_at timestamptz,
  closed_at timestamptz,
  root_cause text CHECK (root_cause IS NULL OR char_length(root_cause) <= 2000),
  -- { refundAmount, currency, apology, processChange }
  remedy jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_owner ON cases (owner_id, status);
CREATE INDEX cases_team ON cases (team_id, status);
CREATE INDEX cases_contact ON cases (contact_id, created_at DESC);
-- The clock sweep reads the cases still running.
CREATE INDEX cases_running ON cases (due_at) WHERE final_response_at IS NULL AND status <> 'closed';

CREATE TABLE case_conversations (
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, conversation_id)
);
CREATE INDEX case_conversations_conversation ON case_conversations (conversation_id);

-- The timeline: every step with who, when and what.
CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  actor_type text NOT NULL CHECK (actor_type IN ('agent', 'contact', 'bot', 'system')),
  actor_id uuid,
  kind text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Clock alerts, recorded once: the key is the case, the clock, the level and the
-- deadline it was about (an extension moves the deadline, which may alert again).
CREATE TABLE case_alerts (
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  clock text NOT NULL CHECK (clock IN ('acknowledge', 'final_response')),
  level text NOT NULL CHECK (level IN ('near_breach', 'breach')),
  due_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, clock, level, due_at)
);
