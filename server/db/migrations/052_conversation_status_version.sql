-- How many times a conversation's status has changed. A customer's widget receives the
-- conversation from a push (its status changed) and from the answer to a sync it asked
-- for; the two can cross, and a sync answer read before the change must not undo it on
-- screen. The widget keeps the highest version it has applied. Counted by the database,
-- so that every command that changes a status counts without knowing of it; only on a
-- change of status, so that a message's update of the row (last_seq) runs no trigger.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS status_version integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION conversations_count_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.status_version := OLD.status_version + 1;
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS conversations_status_version ON conversations;
CREATE TRIGGER conversations_status_version BEFORE UPDATE OF status ON conversations
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION conversations_count_status_change();
