-- Step-up verification in the conversation (issue #16, section 3). A signed identity
-- on the page says who the customer is; a one-time code sent to the phone or e-mail
-- address the bank has on file proves that the person typing is them now. One row
-- per code the assistant asked for, bound to the conversation, the customer and the
-- action waiting on it (`purpose`, the account tool).
CREATE TABLE IF NOT EXISTS step_up_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  -- The bank's customer id the code was sent for (contacts.external_id then).
  customer_id text NOT NULL,
  purpose text NOT NULL,
  risk text NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
  -- The customer's language when asked: a resent code's text is in it too.
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'demo_phone')),
  -- Masked (•••• 8001, w•••@example.com): what the customer and agents are shown.
  destination text NOT NULL,
  -- HMAC-SHA256 of the challenge id and the code under a key derived from SECRET_KEY:
  -- six digits are a million guesses, so a plain hash in a dump would give them away.
  code_hash text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'verified', 'locked', 'expired', 'superseded', 'undelivered')),
  attempts integer NOT NULL DEFAULT 0,
  sends integer NOT NULL DEFAULT 1,
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  verified_at timestamptz,
  -- The customer message that needed the code: a retried reply job finds its challenge
  -- here instead of texting a second code.
  request_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS step_up_challenges_conversation ON step_up_challenges (conversation_id, created_at DESC);
