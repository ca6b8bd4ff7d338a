import type { Database } from "../db/Database.ts";
import { toVector } from "../db/Database.ts";
import type { Embedder } from "./embedders/Embedder.ts";
import { LexicalIndex } from "./LexicalIndex.ts";
import { tokenize } from "./text.ts";

export interface SearchHit {
  path: string;
  title: string;
  heading: string;
  score: number;
  text: string;
  locale: string;
  passageId: string;
}

export interface SearchOptions {
  k?: number;
  /** "en", "zh" (any Chinese) or an exact locale such as "zh-TW". */
  locale?: string;
  product?: string;
  /** "hybrid" (default), or one signal alone for evaluation. */
  mode?: "hybrid" | "lexical" | "dense";
  /** Passages per article in the results (default 1: one hit per article). */
  perArticle?: number;
}

interface PassageMeta {
  id: string;
  path: string;
  title: string;
  heading: string;
  text: string;
  locale: string;
  product: string | null;
}

/** Share of the lexical signal in the fused score; the rest is the dense one. */
export const LEXICAL_WEIGHT = 0.6;
const CANDIDATES = 50;
const VERSION_CHECK_MS = 1000;

/**
 * Hybrid retrieval: BM25 over our tokens and cosine similarity over pgvector
 * (HNSW), fused by a weighted sum of max-normalised scores. Reciprocal rank fusion
 * was measured too and did worse than the weighted sum (see eval/), because it
 * throws away how much better the top lexical match is than the rest.
 */
export class KnowledgeSearch {
  private lexical: LexicalIndex | undefined;
  private meta: PassageMeta[] = [];
  private byId = new Map<string, number>();
  private version = -1;
  private checkedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly embedder: Embedder,
  ) {}

  /** Reloads the lexical index when another sync (in any process) changed the knowledge base. */
  private async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt < VERSION_CHECK_MS && this.lexical) return;
    this.checkedAt = Date.now();
    const { rows } = await this.db.query<{ version: number }>("SELECT version FROM kb_index");
    const v = rows[0]?.version ?? 0;
    if (v === this.version && this.lexical) return;
    this.loading ??= this.load(v).finally(() => (this.loading = undefined));
    await this.loading;
  }

  /** Forces the next search to check for a new version (after a sync in this process). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  private async load(version: number) {
    const { rows } = await this.db.query<PassageMeta & { tokens: string[] }>(
      `SELECT p.id, a.path, a.title, p.heading, p.text, a.locale, a.product, p.tokens
       FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id ORDER BY a.path, p.ordinal`,
    );
    this.lexical = new LexicalIndex(rows.map((r) => ({ id: r.id, tokens: r.tokens })));
    this.meta = rows.map(({ tokens: _t, ...m }) => m);
    this.byId = new Map(rows.map((r, i) => [r.id, i]));
    this.version = version;
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const q = query.trim();
    if (!q) throw new Error("empty query");
    await this.ensureFresh();
    const k = opts.k ?? 5;
    const mode = opts.mode ?? "hybrid";
    const accept = (i: number) => matches(this.meta[i]!, opts);

    const fused = new Map<number, number>();
    if (mode !== "dense") {
      const lex = this.lexical!.search(tokenize(q), CANDIDATES, accept);
      const max = lex[0]?.score ?? 0;
      const w = mode === "hybrid" ? LEXICAL_WEIGHT : 1;
      for (const h of lex) fused.set(h.index, (fused.get(h.index) ?? 0) + (max > 0 ? (w * h.score) / max : 0));
    }
    if (mode !== "lexical") {
      const dense = await this.dense(q, opts);
      const w = mode === "hybrid" ? 1 - LEXICAL_WEIGHT : 1;
      for (const h of dense) {
        const i = this.byId.get(h.id);
        if (i !== undefined) fused.set(i, (fused.get(i) ?? 0) + w * Math.max(0, h.similarity));
      }
    }
    const ranked = [...fused].sort((a, b) => b[1] - a[1]);
    const perArticle = opts.perArticle ?? 1;
    const seen = new Map<string, number>();
    const hits: SearchHit[] = [];
    for (const [i, score] of ranked) {
      const m = this.meta[i]!;
      const n = seen.get(m.path) ?? 0;
      if (n >= perArticle) continue;
      seen.set(m.path, n + 1);
      hits.push({ path: m.path, title: m.title, heading: m.heading, score: Number(score.toFixed(4)), text: m.text, locale: m.locale, passageId: m.id });
      if (hits.length >= k) break;
    }
    return hits;
  }

  private async dense(q: string, opts: SearchOptions): Promise<Array<{ id: string; similarity: number }>> {
    const [vec] = await this.embedder.embed([q], "query");
    const params: unknown[] = [toVector(vec!)];
    const where: string[] = [];
    if (opts.locale) {
      params.push(opts.locale.includes("-") ? opts.locale : `${opts.locale}%`);
      where.push(`a.locale ${opts.locale.includes("-") ? "=" : "LIKE"} $${params.length}`);
    }
    if (opts.product) {
      params.push(opts.product);
      where.push(`a.product = $${params.length}`);
    }
    params.push(CANDIDATES);
    const { rows } = await this.db.query<{ id: string; similarity: number }>(
      `SELECT p.id, 1 - (p.embedding <=> $1::vector) AS similarity
       FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY p.embedding <=> $1::vector LIMIT $${params.length}`,
      params,
    );
    return rows;
  }
}

function matches(m: PassageMeta, opts: SearchOptions): boolean {
  if (opts.product && m.product !== opts.product) return false;
  if (opts.locale) return opts.locale.includes("-") ? m.locale === opts.locale : m.locale.startsWith(opts.locale);
  return true;
}
