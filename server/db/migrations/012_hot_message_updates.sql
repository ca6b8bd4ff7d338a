-- Let the updates that follow a message's insert be HOT (heap-only: no new index
-- entries). The assistant writes its reading of each customer message (sentiment,
-- intent) into content_attributes a moment after the insert, and PostgreSQL can
-- only update a row in place when no index refers to a changed column. The partial
-- index of declined replies (010_reports.sql) referred to content_attributes in its
-- predicate, so every such update inserted the message into all six indexes again,
-- the trigram index's thirty-odd keys included: a second insert per message.
--
-- The predicate now reads a generated column, which the update recomputes to the
-- same value. Adding it rewrites the table once (a lock for the time it takes on a
-- large installation: run it in a maintenance window there).
ALTER TABLE messages
  ADD COLUMN declined boolean NOT NULL
  GENERATED ALWAYS AS (sender_type = 'bot' AND (content_attributes->>'declined') IS NOT DISTINCT FROM 'true') STORED;
DROP INDEX messages_declined;
CREATE INDEX messages_declined ON messages (created_at) WHERE declined;

-- Room on each page for the new row versions of those updates (HOT needs the new
-- version on the same page): a message's own update, and the conversation's
-- assistant state written with every reply.
ALTER TABLE messages SET (fillfactor = 85);
ALTER TABLE conversations SET (fillfactor = 80);
