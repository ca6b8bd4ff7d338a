-- Content teams' sample questions by section (front matter `questions:` keyed by
-- section anchor, issue #12): each passage keeps its section's, and the search
-- matches the customer's question against them.
ALTER TABLE kb_passages ADD COLUMN IF NOT EXISTS questions text[] NOT NULL DEFAULT '{}';
