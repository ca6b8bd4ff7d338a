-- Automatic assignment: agent presence from their console sockets, per-agent
-- capacity and fairness, per-team settings. Plus indexes of the inbox list,
-- message search and reports (measured by `npm run bench console`).

-- Capacity: how many open conversations automatic assignment gives an agent.
ALTER TABLE agents ALTER COLUMN capacity SET DEFAULT 5;
-- What the agent chose in the console (the away toggle); `availability` is derived:
-- offline without sockets, otherwise this choice.
ALTER TABLE agents ADD COLUMN chosen_availability text NOT NULL DEFAULT 'online'
  CHECK (chosen_availability IN ('online', 'away'));
-- Round-robin order: the least recently assigned agent goes first.
ALTER TABLE agents ADD COLUMN last_assigned_at timestamptz;

-- Per team; null follows the global setting (AUTO_ASSIGN, ASSIGNMENT_ON_OFFLINE).
ALTER TABLE teams ADD COLUMN auto_assign boolean;
ALTER TABLE teams ADD COLUMN on_agent_offline text CHECK (on_agent_offline IN ('reassign', 'unassign', 'keep'));

-- One row per connected console socket, on any node. Rows of a node that died
-- without cleaning up expire: nodes refresh last_seen_at of their sockets.
CREATE TABLE agent_sockets (
  socket_id text PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  node text NOT NULL,
  connected_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_sockets_agent ON agent_sockets (agent_id);

-- The queue of conversations waiting for an agent, oldest first.
CREATE INDEX conversations_waiting ON conversations (waiting_since) WHERE status = 'open' AND assignee_id IS NULL;
-- Inbox list: sorted by waiting time within a view.
CREATE INDEX conversations_list ON conversations (waiting_since ASC NULLS LAST, last_activity_at DESC);
CREATE INDEX conversations_assignee_list ON conversations (assignee_id, waiting_since ASC NULLS LAST, last_activity_at DESC);
-- Reports over a date range.
CREATE INDEX conversations_created ON conversations (created_at);

-- Message search in the console (ILIKE '%text%', English and Chinese): trigram
-- index. Used for search terms of three characters or more.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops);
-- Trigrams need three characters; Chinese searches are often two ("转账", "挂失"):
-- an index of the Han character bigrams of messages that have any.
CREATE FUNCTION han_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
  FROM (SELECT substr(t, i, 2) AS g FROM generate_series(1, length(t) - 1) AS i) s
  WHERE g ~ '^[一-鿿]{2}$'
$$;
CREATE INDEX messages_content_han ON messages USING gin (han_bigrams(content)) WHERE content ~ '[一-鿿]';
