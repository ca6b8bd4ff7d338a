-- The demo core system's writes beyond freezing a card (issue #16): reporting a card
-- lost (and ordering its replacement) and making up a missed 零存整取 instalment.
-- Each is recorded with the caller's idempotency key, unique per customer, so the
-- same request sent twice (a retried job, a double "yes") changes things once and
-- is answered with the first result.

CREATE TABLE demo_card_replacements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id text NOT NULL,
  card_id uuid NOT NULL REFERENCES demo_cards (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN ('lost', 'stolen')),
  -- Null when the customer did not order a new card.
  replacement_last4 text,
  estimated_delivery_on date,
  idempotency_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, idempotency_key)
);

CREATE TABLE demo_instalment_makeups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id text NOT NULL,
  deposit_id uuid NOT NULL REFERENCES demo_deposits (id) ON DELETE CASCADE,
  from_account_id uuid NOT NULL REFERENCES demo_accounts (id) ON DELETE CASCADE,
  amount_cents bigint NOT NULL,
  idempotency_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, idempotency_key)
);
