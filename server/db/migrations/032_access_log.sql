-- Who read what (issue #13): every opening of a conversation, a customer's profile,
-- account data, a case or an export by staff. Append-only and hash-chained: each
-- row's hash is sha256(prev_hash || '|' || canonical row), so an edited, removed or
-- inserted row breaks the chain from there on (server/accessLog/verify.ts).

CREATE TABLE IF NOT EXISTS access_log (
  -- Gapless, assigned from the chain head under its row lock (a gap is a deleted row).
  id bigint PRIMARY KEY,
  agent_id uuid NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('conversation', 'contact', 'account_data', 'case', 'export', 'privacy_export', 'attachment')),
  subject_id text NOT NULL CHECK (subject_id ~ '^[A-Za-z0-9._:-]{1,200}$'),
  -- The customer whose data was read, when there is one (searching "who read this customer").
  contact_id uuid,
  conversation_id uuid,
  ip text CHECK (ip IS NULL OR ip ~ '^[0-9A-Fa-f.:]{1,64}$'),
  request_id text CHECK (request_id IS NULL OR request_id ~ '^[A-Za-z0-9._-]{1,100}$'),
  created_at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_agent ON access_log (agent_id, id DESC);
CREATE INDEX IF NOT EXISTS access_log_contact ON access_log (contact_id, id DESC);
CREATE INDEX IF NOT EXISTS access_log_conversation ON access_log (conversation_id, id DESC);
CREATE INDEX IF NOT EXISTS access_log_created ON access_log (created_at DESC);

-- The chain's head, one row: appends lock it (UPDATE), which serialises them across
-- processes without an advisory lock, and the insert happens in the same statement.
CREATE TABLE IF NOT EXISTS access_log_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_id bigint NOT NULL,
  last_hash text NOT NULL,
  prev_hash text NOT NULL
);
INSERT INTO access_log_head (only_row, last_id, last_hash, prev_hash)
VALUES (true, 0, repeat('0', 64), repeat('0', 64))
ON CONFLICT DO NOTHING;

-- The canonical text of a row that its hash covers. Fields are checked above to
-- hold no '|', so the joined text is unambiguous; times in UTC to the microsecond.
-- server/accessLog/canonical.ts computes the same in TypeScript (verify).
CREATE OR REPLACE FUNCTION access_log_canonical(
  p_id bigint, p_agent uuid, p_type text, p_subject text, p_contact uuid, p_conversation uuid, p_ip text, p_request text, p_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', p_id::text, p_agent::text, p_type, p_subject, coalesce(p_contact::text, ''), coalesce(p_conversation::text, ''),
    coalesce(p_ip, ''), coalesce(p_request, ''), to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;

-- No code path updates or deletes access-log rows; this refuses it from anyone else too.
CREATE OR REPLACE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS access_log_append_only ON access_log;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();
DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log;
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
