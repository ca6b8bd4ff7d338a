-- Which tokenizer built the passages' stored tokens (server/knowledge/text.ts,
-- TOKENIZER_VERSION): a different one means the index is rebuilt on the next sync.
ALTER TABLE kb_index ADD COLUMN IF NOT EXISTS tokenizer integer NOT NULL DEFAULT 1;
