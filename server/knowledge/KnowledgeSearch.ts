import type { Database } from "../db/Database.ts";
import { toVector } from "../db/Database.ts";
import type { Embedder } from "./embedders/Embedder.ts";
import { hanScript } from "./hanFold.ts";
import { LexicalIndex, countTokens, type WeightedQuery } from "./LexicalIndex.ts";
import { passageIndexText } from "./parseArticle.ts";
import { expandQuery } from "./queryExpansion.ts";
import { isHan, tokenize } from "./text.ts";

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

/** Experiment knobs (dev only). */
export const TUNING = {
  lexWeight: 0.6,
  fusion: "sum" as "sum" | "rrf",
  rrfK: 60,
  k1: 1.2,
  b: 0.75,
  headingWeight: 0,
  headingB: 0.5,
  tags: false,
  zhUnigram: 1,
  expansion: 0,
  crossLingual: 0,
  others: 0,
  othersN: 2,
  langPenalty: 0,
  scriptPenalty: 0,
  rm3: 0,
  rm3Docs: 5,
  rm3Terms: 10,
  candidates: 50,
};

/** Share of the lexical signal in the fused score; the rest is the dense one. */
export const LEXICAL_WEIGHT = 0.6;
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
  private docTokens: string[][] = [];
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

  /** Dev: rebuild the in-memory index with the current TUNING. */
  async reload(): Promise<void> {
    this.version = -1;
    this.checkedAt = 0;
    await this.ensureFresh();
  }

  private async load(version: number) {
    const { rows } = await this.db.query<PassageMeta & { tokens: string[]; tags: string[] }>(
      `SELECT p.id, a.path, a.title, p.heading, p.text, a.locale, a.product, a.tags, p.tokens
       FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id ORDER BY a.path, p.ordinal`,
    );
    const docs = rows.map((r) => {
      const heading = tokenize(r.heading);
      const body = tokenize(r.text);
      const tags = TUNING.tags ? tokenize(r.tags.join(" ; ")) : [];
      return { id: r.id, tokens: TUNING.headingWeight > 0 ? body : [...heading, ...body], heading: [...heading, ...tags] };
    });
    void passageIndexText;
    this.lexical = new LexicalIndex(docs, { k1: TUNING.k1, b: TUNING.b, headingWeight: TUNING.headingWeight, headingB: TUNING.headingB });
    this.docTokens = docs.map((d) => [...d.heading, ...d.tokens]);
    this.meta = rows.map(({ tokens: _t, tags: _g, ...m }) => m);
    this.byId = new Map(rows.map((r, i) => [r.id, i]));
    this.version = version;
  }

  private queryTerms(q: string): WeightedQuery {
    const terms = countTokens(tokenize(q));
    if (TUNING.zhUnigram !== 1) for (const [t, w] of terms) if (t.length === 1 && isHan(t)) terms.set(t, w * TUNING.zhUnigram);
    if (TUNING.expansion > 0 || TUNING.crossLingual > 0) {
      for (const [t, w] of expandQuery(q, { same: TUNING.expansion, cross: TUNING.crossLingual })) {
        if (!terms.has(t)) terms.set(t, w);
      }
    }
    return terms;
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const q = query.trim();
    if (!q) throw new Error("empty query");
    await this.ensureFresh();
    const k = opts.k ?? 5;
    const mode = opts.mode ?? "hybrid";
    const accept = (i: number) => matches(this.meta[i]!, opts);
    const C = TUNING.candidates;

    const fused = new Map<number, number>();
    if (mode !== "dense") {
      let terms = this.queryTerms(q);
      let lex = this.lexical!.search(terms, C, accept);
      if (TUNING.rm3 > 0 && lex.length) {
        terms = this.feedback(terms, lex);
        lex = this.lexical!.search(terms, C, accept);
      }
      const max = lex[0]?.score ?? 0;
      const w = mode === "hybrid" ? TUNING.lexWeight : 1;
      lex.forEach((h, rank) => {
        const s = TUNING.fusion === "rrf" && mode === "hybrid" ? w / (TUNING.rrfK + rank + 1) : max > 0 ? (w * h.score) / max : 0;
        fused.set(h.index, (fused.get(h.index) ?? 0) + s);
      });
    }
    if (mode !== "lexical") {
      const dense = await this.dense(q, opts);
      const w = mode === "hybrid" ? 1 - TUNING.lexWeight : 1;
      dense.forEach((h, rank) => {
        const i = this.byId.get(h.id);
        const s = TUNING.fusion === "rrf" && mode === "hybrid" ? w / (TUNING.rrfK + rank + 1) : w * Math.max(0, h.similarity);
        if (i !== undefined) fused.set(i, (fused.get(i) ?? 0) + s);
      });
    }
    // Article-level evidence: a passage gains a little from the other matching passages of its article.
    if (TUNING.others > 0) {
      const byPath = new Map<string, number[]>();
      for (const [i, s] of fused) {
        const p = this.meta[i]!.path;
        let l = byPath.get(p);
        if (!l) byPath.set(p, (l = []));
        l.push(s);
      }
      for (const l of byPath.values()) l.sort((a, b) => b - a);
      for (const [i, s] of fused) {
        const l = byPath.get(this.meta[i]!.path)!;
        let extra = 0;
        let n = 0;
        for (const o of l) {
          if (o === s && n === 0 && extra === 0 && l[0] === s) {
            // skip self once (the best passage is the first)
          }
        }
        // Sum of the best othersN scores excluding this passage's own.
        let skipped = false;
        for (const o of l) {
          if (!skipped && o === s) {
            skipped = true;
            continue;
          }
          if (n >= TUNING.othersN) break;
          extra += o;
          n++;
        }
        fused.set(i, s + TUNING.others * extra);
      }
    }
    if (TUNING.langPenalty > 0 || TUNING.scriptPenalty > 0) {
      const lang = queryLanguage(q);
      if (lang) {
        for (const [i, s] of fused) {
          const loc = this.meta[i]!.locale;
          const zh = loc.startsWith("zh");
          let f = 1;
          if (lang.zh !== zh) f *= 1 - TUNING.langPenalty;
          else if (zh && lang.script && loc !== (lang.script === "traditional" ? "zh-TW" : "zh-CN")) f *= 1 - TUNING.scriptPenalty;
          fused.set(i, s * f);
        }
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

  /** RM3 pseudo-relevance feedback: the query plus the terms of the top passages. */
  private feedback(terms: WeightedQuery, top: Array<{ index: number; score: number }>): WeightedQuery {
    const fb = new Map<string, number>();
    const docs = top.slice(0, TUNING.rm3Docs);
    const total = docs.reduce((s, d) => s + d.score, 0) || 1;
    for (const d of docs) {
      const toks = this.docTokens[d.index]!;
      const tf = countTokens(toks);
      for (const [t, n] of tf) {
        if (t.length === 1 && isHan(t)) continue;
        fb.set(t, (fb.get(t) ?? 0) + (d.score / total) * (n / toks.length) * Math.log(1 + this.lexical!.size / (1 + this.lexical!.df(t))));
      }
    }
    const best = [...fb].sort((a, b) => b[1] - a[1]).slice(0, TUNING.rm3Terms);
    const fbSum = best.reduce((s, [, w]) => s + w, 0) || 1;
    const qSum = [...terms.values()].reduce((s, w) => s + w, 0) || 1;
    const out: WeightedQuery = new Map();
    for (const [t, w] of terms) out.set(t, (1 - TUNING.rm3) * (w / qSum));
    for (const [t, w] of best) out.set(t, (out.get(t) ?? 0) + TUNING.rm3 * (w / fbSum));
    return out;
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
    params.push(TUNING.candidates);
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

/** Chinese or not, and which script, from the characters of the question. */
export function queryLanguage(q: string): { zh: boolean; script?: "traditional" | "simplified" } | undefined {
  let han = 0;
  let latin = 0;
  for (const c of q) {
    if (isHan(c)) han++;
    else if (/[a-zA-Z]/.test(c)) latin++;
  }
  if (!han && !latin) return undefined;
  // One Chinese character carries about as much as a short English word.
  if (han * 3 >= latin) return { zh: true, script: hanScript(q) };
  return { zh: false };
}

function matches(m: PassageMeta, opts: SearchOptions): boolean {
  if (opts.product && m.product !== opts.product) return false;
  if (opts.locale) return opts.locale.includes("-") ? m.locale === opts.locale : m.locale.startsWith(opts.locale);
  return true;
}
