import type { Database, Transaction } from "../db/Database.ts";
import { toVector } from "../db/Database.ts";
import type { Embedder } from "./embedders/Embedder.ts";
import { ArticleError, parseArticle, passageIndexText, type ParsedArticle } from "./parseArticle.ts";
import { scanFolder, type ScannedFile } from "./scanFolder.ts";
import { TOKENIZER_VERSION, tokenize } from "./text.ts";

export interface SyncProblem {
  path: string;
  line?: number;
  message: string;
}

export interface SyncSummary {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  skipped: SyncProblem[];
  passages: number;
  reembedded: boolean;
  ms: number;
}

export interface SyncOptions {
  db: Database;
  embedder: Embedder;
  dir: string;
  onProgress?: SyncProgress;
}

/** Articles embedded and stored so far, of those to do; `reembedding` when another embedder's index was reset. */
export type SyncProgress = (done: number, total: number, reembedding: boolean) => void;

const EMBED_BATCH = 64;
const INSERT_BATCH = 100;
// Above this many changed passages the HNSW index is rebuilt once at the end,
// which is much faster than maintaining it row by row.
const REBUILD_INDEX_ABOVE = 500;

/**
 * Brings the index in line with the folder. Incremental by content hash: unchanged
 * articles cost one hash, changed ones are replaced whole, deleted ones removed.
 * A different embedder (id or dimensions) re-embeds everything. Files that cannot
 * be read or parsed are reported and skipped; an article that was indexed before
 * and is now malformed keeps its last good version until it is fixed.
 */
export async function syncKnowledge({ db, embedder, dir, onProgress }: SyncOptions): Promise<SyncSummary> {
  const t0 = Date.now();
  const { files, skipped: unreadable } = scanFolder(dir);
  const skipped: SyncProblem[] = unreadable.map((s) => ({ path: s.path, message: s.reason }));
  const reembedded = await ensureIndexFor(db, embedder);

  const { rows: existing } = await db.query<{ path: string; content_hash: string }>("SELECT path, content_hash FROM kb_articles");
  const known = new Map(existing.map((r) => [r.path, r.content_hash]));
  const changed: Array<{ file: ScannedFile; article: ParsedArticle }> = [];
  let unchanged = 0;
  for (const file of files) {
    if (known.get(file.path) === file.hash) {
      unchanged++;
      continue;
    }
    try {
      changed.push({ file, article: parseArticle(file.content) });
    } catch (err) {
      skipped.push({ path: file.path, line: err instanceof ArticleError ? err.line : undefined, message: (err as Error).message });
    }
  }
  const present = new Set(files.map((f) => f.path));
  const gone = existing.filter((r) => !present.has(r.path)).map((r) => r.path);

  const totalPassages = changed.reduce((n, c) => n + c.article.passages.length, 0);
  const rebuild = totalPassages > REBUILD_INDEX_ABOVE;
  if (rebuild) await dropVectorIndexes(db);

  let done = 0;
  let added = 0;
  let updated = 0;
  onProgress?.(0, changed.length, reembedded);
  for (const { file, article } of changed) {
    const vectors = await embedAll(embedder, article.passages.map(passageIndexText));
    await db.transaction(async (tx) => {
      await tx.query("DELETE FROM kb_articles WHERE path = $1", [file.path]);
      const m = article.meta;
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO kb_articles (path, title, locale, tags, product, audience, updated, content_hash, questions)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [file.path, m.title, m.locale, m.tags, m.product ?? null, m.audience ?? null, m.updated ?? null, file.hash, article.questions],
      );
      const articleId = rows[0]!.id;
      for (let i = 0; i < article.passages.length; i += INSERT_BATCH) {
        const batch = article.passages.slice(i, i + INSERT_BATCH);
        const params: unknown[] = [];
        const values = batch.map((p, j) => {
          params.push(
            articleId,
            p.ordinal,
            p.heading,
            p.text,
            tokenize(passageIndexText(p)),
            toVector(vectors[i + j]!),
            languageOf(m.locale),
            p.questions,
          );
          const b = j * 8;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::vector, $${b + 7}, $${b + 8})`;
        });
        await tx.query(
          `INSERT INTO kb_passages (article_id, ordinal, heading, text, tokens, embedding, lang, questions) VALUES ${values.join(", ")}`,
          params,
        );
      }
    });
    if (known.has(file.path)) updated++;
    else added++;
    onProgress?.(++done, changed.length, reembedded);
  }
  if (gone.length) await db.query("DELETE FROM kb_articles WHERE path = ANY($1::text[])", [gone]);
  // Also upgrades indexes built with older parameters (a no-op when current).
  await createVectorIndexes(db);
  if (changed.length || gone.length || reembedded) {
    await db.query("UPDATE kb_index SET version = version + 1, updated_at = now()");
    // Fresh statistics: on a new database the planner otherwise guesses the tables
    // nearly empty, and plans the vector search badly until autovacuum gets to them.
    await db.exec("ANALYZE kb_articles, kb_passages");
  }
  const { rows: count } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM kb_passages");
  return { added, updated, deleted: gone.length, unchanged, skipped, passages: count[0]!.n, reembedded, ms: Date.now() - t0 };
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) out.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH), "passage")));
  return out;
}

/**
 * HNSW build parameters: pgvector's defaults. With one index per language they give
 * recall@10 0.99 against exact search at ef_search 100 over 100,000 passages; m 32 /
 * ef_construction 128 built three times slower for no measurable gain
 * (eval/bench/knowledge.ts measures it).
 */
export const HNSW = { m: 16, efConstruction: 64 } as const;

/** A locale's language ("zh-TW" → "zh"): the partition key of the vector indexes. */
export function languageOf(locale: string): string {
  const lang = locale.split(/[-_]/)[0]!.toLowerCase();
  return /^[a-z]{2,3}$/.test(lang) ? lang : "und";
}

const INDEX_PREFIX = "kb_passages_embedding";

async function vectorIndexes(db: Transaction): Promise<Array<{ indexname: string; indexdef: string }>> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'kb_passages' AND indexname LIKE '${INDEX_PREFIX}%'`,
  );
  return rows;
}

async function dropVectorIndexes(db: Transaction): Promise<void> {
  for (const { indexname } of await vectorIndexes(db)) await db.exec(`DROP INDEX IF EXISTS ${indexname}`);
}

/**
 * One partial HNSW index per language present (see migration 009 for why), built
 * with the current parameters: indexes of languages no longer present, or built
 * with other parameters, are dropped. A no-op when everything is current.
 */
export async function createVectorIndexes(db: Database, params: { m: number; efConstruction: number } = HNSW): Promise<void> {
  const { rows } = await db.query<{ lang: string }>("SELECT DISTINCT lang FROM kb_passages");
  const wanted = new Set(rows.map((r) => languageOf(r.lang)));
  const current = (def: string) => def.includes(`m='${params.m}'`) && def.includes(`ef_construction='${params.efConstruction}'`);
  const have = new Set<string>();
  for (const { indexname, indexdef } of await vectorIndexes(db)) {
    const lang = indexname.slice(INDEX_PREFIX.length + 1);
    if (wanted.has(lang) && current(indexdef)) have.add(lang);
    else await db.exec(`DROP INDEX IF EXISTS ${indexname}`);
  }
  for (const lang of wanted) {
    if (have.has(lang)) continue;
    // `lang` passed languageOf: two or three lowercase letters, safe as a name and a literal.
    await db.exec(
      `CREATE INDEX ${INDEX_PREFIX}_${lang} ON kb_passages USING hnsw (embedding vector_cosine_ops)
       WITH (m = ${params.m}, ef_construction = ${params.efConstruction}) WHERE lang = '${lang}'`,
    );
  }
}

/**
 * Makes the vector column fit the embedder. Returns true when the index was reset
 * (first sync, another embedder, or tokens read another way): every article is
 * then indexed and embedded again.
 */
export async function ensureIndexFor(db: Database, embedder: Embedder): Promise<boolean> {
  const { rows } = await db.query<{ embedder: string; dimensions: number; tokenizer: number }>(
    "SELECT embedder, dimensions, tokenizer FROM kb_index",
  );
  const current = rows[0];
  if (current && current.embedder === embedder.id && current.dimensions === embedder.dimensions && current.tokenizer === TOKENIZER_VERSION)
    return false;
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM kb_articles");
    await dropVectorIndexes(tx);
    await tx.exec(`ALTER TABLE kb_passages ALTER COLUMN embedding TYPE vector(${embedder.dimensions})`);
    await tx.query(
      `INSERT INTO kb_index (embedder, dimensions, tokenizer, version) VALUES ($1, $2, $3, 1)
       ON CONFLICT (id) DO UPDATE SET embedder = EXCLUDED.embedder, dimensions = EXCLUDED.dimensions, tokenizer = EXCLUDED.tokenizer,
         version = kb_index.version + 1, updated_at = now()`,
      [embedder.id, embedder.dimensions, TOKENIZER_VERSION],
    );
  });
  return true;
}
