-- Sample customer questions a content team lists in an article's front matter
-- (`questions:`): they count in ranking like the title and tags.
ALTER TABLE kb_articles ADD COLUMN IF NOT EXISTS questions text[] NOT NULL DEFAULT '{}';
