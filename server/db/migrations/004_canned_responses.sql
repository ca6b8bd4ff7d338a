CREATE TABLE canned_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  short_code text NOT NULL UNIQUE CHECK (short_code ~ '^[a-z0-9_-]{1,40}$'),
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
