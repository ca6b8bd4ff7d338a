-- One vector index per language instead of one for all passages. The offline
-- (hashing) embedder gives passages of one language vectors nearly orthogonal to
-- another's, and a single HNSW graph over both splits into halves its greedy search
-- cannot cross: over 100,000 mixed passages a third of Chinese queries found none
-- of their true nearest neighbours. Sync creates kb_passages_embedding_<lang> as
-- partial indexes; search queries each language and merges.
-- The old index goes first: updating rows under it would re-insert each into the graph.
DROP INDEX IF EXISTS kb_passages_embedding;
ALTER TABLE kb_passages ADD COLUMN lang text NOT NULL DEFAULT 'und';
UPDATE kb_passages p SET lang = lower(split_part(a.locale, '-', 1)) FROM kb_articles a WHERE a.id = p.article_id;
