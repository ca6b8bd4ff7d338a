-- Jobs of the embedded mode (no Redis): kept in the database so that a crash loses
-- none (security finding 11). With Redis, BullMQ keeps them there instead.
CREATE TABLE IF NOT EXISTS queued_jobs (
  -- The job id: the caller's (deduplicates while the job is queued or running) or generated.
  id text PRIMARY KEY,
  -- Queue order among jobs due at the same time (lanes run in it).
  seq bigserial NOT NULL,
  name text NOT NULL,
  data jsonb NOT NULL,
  attempts_made integer NOT NULL DEFAULT 0,
  -- Set when the caller chose them; otherwise the handler's defaults apply.
  attempts integer,
  backoff_ms integer,
  run_at timestamptz NOT NULL DEFAULT now(),
  -- A running job's lease: renewed while it runs, taken over when it runs out.
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS queued_jobs_due ON queued_jobs (run_at, seq);
