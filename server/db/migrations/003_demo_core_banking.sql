-- The demo core-banking system behind the CoreBanking interface: customers'
-- accounts, cards, transactions and deposits. A bank replaces the implementation
-- with one that calls its own core system; these tables stay empty then.
-- Money is in integer cents (fen).

CREATE TABLE demo_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('current', 'savings', 'credit')),
  name text NOT NULL,
  number text NOT NULL UNIQUE,
  currency text NOT NULL DEFAULT 'CNY',
  balance_cents bigint NOT NULL,
  credit_limit_cents bigint
);
CREATE INDEX demo_accounts_customer ON demo_accounts (customer_id);

CREATE TABLE demo_cards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id text NOT NULL,
  account_id uuid NOT NULL REFERENCES demo_accounts (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('debit', 'credit')),
  product text NOT NULL,
  last4 text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'cancelled')),
  expires text NOT NULL
);
CREATE INDEX demo_cards_customer ON demo_cards (customer_id);

CREATE TABLE demo_transactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES demo_accounts (id) ON DELETE CASCADE,
  posted_at timestamptz NOT NULL,
  description text NOT NULL,
  amount_cents bigint NOT NULL
);
CREATE INDEX demo_transactions_account ON demo_transactions (account_id, posted_at DESC);

CREATE TABLE demo_deposits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id text NOT NULL,
  -- time: 整存整取; instalment: 零存整取
  kind text NOT NULL CHECK (kind IN ('time', 'instalment')),
  principal_cents bigint NOT NULL,
  monthly_cents bigint,
  rate_percent real NOT NULL,
  term_months integer NOT NULL,
  opened_on date NOT NULL,
  maturity_on date NOT NULL,
  paid_instalments integer,
  missed_instalments integer NOT NULL DEFAULT 0,
  auto_rollover boolean NOT NULL DEFAULT true
);
CREATE INDEX demo_deposits_customer ON demo_deposits (customer_id);
