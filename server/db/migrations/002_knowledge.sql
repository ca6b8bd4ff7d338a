-- The knowledge base: articles from knowledge/*.md, split into passages that are
-- embedded (pgvector) and tokenised for lexical ranking.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE kb_articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Relative to the knowledge folder, with forward slashes.
  path text NOT NULL UNIQUE,
  title text NOT NULL,
  locale text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  product text,
  audience text,
  updated date,
  content_hash text NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kb_passages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id uuid NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  heading text NOT NULL,
  text text NOT NULL,
  -- Lexical tokens (our own tokeniser: stemmed English words, Chinese bigrams).
  tokens text[] NOT NULL,
  -- Dimension set by the embedder that built the index (kb_index).
  embedding vector,
  UNIQUE (article_id, ordinal)
);
CREATE INDEX kb_passages_article ON kb_passages (article_id);

-- Which embedder built the vectors; a different one means a full re-embed.
CREATE TABLE kb_index (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  embedder text NOT NULL,
  dimensions integer NOT NULL,
  -- Bumped on every change, so processes know to reload their lexical index.
  version integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
