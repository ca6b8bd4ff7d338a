-- Keep passage vectors in the table row. A 512-dimension vector is 2 KB, just over
-- the default TOAST threshold, so each one was moved to the TOAST table and every
-- distance the search computed on the heap fetched it back: dense search over the
-- demo knowledge base took 2.3 ms, 0.6 ms with the vectors inline (the load bench,
-- eval/bench/load.ts, spent a third of PostgreSQL's time there).
-- MAIN: the vector is the last column compressed or moved out, after the texts;
-- toast_tuple_target: rows up to a page's 8 KB stay whole. Larger vectors (3,072
-- dimensions) are still stored, out of line as before.
ALTER TABLE kb_passages ALTER COLUMN embedding SET STORAGE MAIN;
ALTER TABLE kb_passages SET (toast_tuple_target = 8160);
-- Rows already stored keep their TOAST pointers until rewritten.
UPDATE kb_passages SET embedding = embedding::text::vector WHERE embedding IS NOT NULL;
