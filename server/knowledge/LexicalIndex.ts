/**
 * Okapi BM25 over our own tokens (stemmed English words, Chinese character
 * bigrams), with an optional second field for the title and section headings
 * scored the BM25F way (Robertson & Zaragoza): a term's frequencies in the two
 * fields are length-normalised separately and added with the heading's weight
 * before BM25's saturation. Kept in memory: PostgreSQL's built-in text search
 * neither segments Chinese nor ranks by BM25, and a few hundred thousand passages
 * fit easily.
 */
export interface LexicalDoc {
  id: string;
  /** Body tokens. */
  tokens: string[];
  /** Title and heading tokens (BM25F field), if any. */
  heading?: string[];
}

export interface LexicalOptions {
  k1?: number;
  /** Length normalisation of the body. */
  b?: number;
  /** Weight of a heading occurrence relative to a body one (0: headings ignored). */
  headingWeight?: number;
  /** Length normalisation of the heading field. */
  headingB?: number;
}

/** Query terms with their weights (an expansion term counts less than a typed one). */
export type WeightedQuery = Map<string, number>;

interface Posting {
  docs: Int32Array;
  body: Float32Array;
  head: Float32Array;
}

export class LexicalIndex {
  private readonly postings = new Map<string, Posting>();
  private readonly bodyNorm: Float32Array;
  private readonly headNorm: Float32Array;
  private readonly k1: number;
  private readonly headingWeight: number;
  readonly ids: string[];

  constructor(docs: LexicalDoc[], opts: LexicalOptions = {}) {
    this.k1 = opts.k1 ?? 1.2;
    const b = opts.b ?? 0.75;
    const hb = opts.headingB ?? 0.5;
    this.headingWeight = opts.headingWeight ?? 0;
    this.ids = docs.map((d) => d.id);
    const n = docs.length;
    this.bodyNorm = new Float32Array(n);
    this.headNorm = new Float32Array(n);
    const tmp = new Map<string, { docs: number[]; body: number[]; head: number[] }>();
    let bodyTotal = 0;
    let headTotal = 0;
    docs.forEach((d, i) => {
      bodyTotal += d.tokens.length;
      headTotal += d.heading?.length ?? 0;
      const tf = new Map<string, [number, number]>();
      for (const t of d.tokens) {
        const e = tf.get(t);
        if (e) e[0]++;
        else tf.set(t, [1, 0]);
      }
      if (this.headingWeight > 0)
        for (const t of d.heading ?? []) {
          const e = tf.get(t);
          if (e) e[1]++;
          else tf.set(t, [0, 1]);
        }
      for (const [t, [nb, nh]] of tf) {
        let list = tmp.get(t);
        if (!list) tmp.set(t, (list = { docs: [], body: [], head: [] }));
        list.docs.push(i);
        list.body.push(nb);
        list.head.push(nh);
      }
    });
    const avgBody = n && bodyTotal ? bodyTotal / n : 1;
    const avgHead = n && headTotal ? headTotal / n : 1;
    docs.forEach((d, i) => {
      this.bodyNorm[i] = 1 - b + (b * d.tokens.length) / avgBody;
      this.headNorm[i] = 1 - hb + (hb * (d.heading?.length ?? 0)) / avgHead;
    });
    for (const [t, list] of tmp) {
      this.postings.set(t, { docs: Int32Array.from(list.docs), body: Float32Array.from(list.body), head: Float32Array.from(list.head) });
    }
  }

  private deletes: Map<string, string[]> | undefined;

  /**
   * Indexed words one edit (insertion, deletion, substitution or transposition of
   * adjacent letters) away from an unknown Latin-script word: a typo fallback.
   * Built on first use, by the symmetric-delete method.
   */
  nearTerms(term: string): string[] {
    if (term.length < 4 || !/^[a-z]+$/.test(term) || this.postings.has(term)) return [];
    if (!this.deletes) {
      this.deletes = new Map();
      for (const t of this.postings.keys()) {
        if (t.length < 3 || !/^[a-z]+$/.test(t)) continue;
        for (const d of deletions(t)) {
          const l = this.deletes.get(d);
          if (l) l.push(t);
          else this.deletes.set(d, [t]);
        }
      }
    }
    const out = new Set<string>();
    for (const d of deletions(term)) for (const t of this.deletes.get(d) ?? []) if (withinOneEdit(term, t)) out.add(t);
    return [...out];
  }

  get size(): number {
    return this.ids.length;
  }

  /** Number of documents containing the term. */
  df(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  idf(term: string): number {
    const df = this.df(term);
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  /**
   * Top documents by BM25(F). The query is a list of tokens (each occurrence counts)
   * or weighted terms; `accept` filters by document index.
   */
  search(query: string[] | WeightedQuery, limit: number, accept?: (docIndex: number) => boolean): Array<{ index: number; score: number }> {
    const weights = Array.isArray(query) ? countTokens(query) : query;
    const scores = new Map<number, number>();
    const k1 = this.k1;
    const hw = this.headingWeight;
    for (const [t, qw] of weights) {
      const p = this.postings.get(t);
      if (!p || qw <= 0) continue;
      const idf = this.idf(t) * qw;
      for (let j = 0; j < p.docs.length; j++) {
        const d = p.docs[j]!;
        const tf = p.body[j]! / this.bodyNorm[d]! + (hw > 0 ? (hw * p.head[j]!) / this.headNorm[d]! : 0);
        scores.set(d, (scores.get(d) ?? 0) + (idf * (tf * (k1 + 1))) / (tf + k1));
      }
    }
    const out: Array<{ index: number; score: number }> = [];
    for (const [index, score] of scores) if (!accept || accept(index)) out.push({ index, score });
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, limit);
  }
}

export function countTokens(tokens: string[]): WeightedQuery {
  const m: WeightedQuery = new Map();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** The word itself and every word with one letter removed. */
function deletions(w: string): string[] {
  const out = [w];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance at most 1. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
