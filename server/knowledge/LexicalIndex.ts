/**
 * Okapi BM25 over our own tokens (stemmed English words, Chinese character
 * bigrams). Kept in memory: PostgreSQL's built-in text search neither segments
 * Chinese nor ranks by BM25, and a few hundred thousand passages fit easily.
 */
export interface LexicalDoc {
  id: string;
  tokens: string[];
}

export class LexicalIndex {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Float32Array }>();
  private readonly lengths: Float32Array;
  private readonly avgLength: number;
  readonly ids: string[];

  constructor(
    docs: LexicalDoc[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.ids = docs.map((d) => d.id);
    this.lengths = new Float32Array(docs.length);
    const tmp = new Map<string, Array<[number, number]>>();
    let total = 0;
    docs.forEach((d, i) => {
      this.lengths[i] = d.tokens.length;
      total += d.tokens.length;
      const tf = new Map<string, number>();
      for (const t of d.tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = tmp.get(t);
        if (!list) tmp.set(t, (list = []));
        list.push([i, n]);
      }
    });
    this.avgLength = docs.length ? total / docs.length : 1;
    for (const [t, list] of tmp) {
      this.postings.set(t, { docs: Int32Array.from(list, (e) => e[0]), tfs: Float32Array.from(list, (e) => e[1]) });
    }
  }

  get size(): number {
    return this.ids.length;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  /** Top documents by BM25 for the query tokens; `accept` filters by document index. */
  search(queryTokens: string[], limit: number, accept?: (docIndex: number) => boolean): Array<{ index: number; score: number }> {
    const scores = new Map<number, number>();
    const qtf = new Map<string, number>();
    for (const t of queryTokens) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    for (const [t, qn] of qtf) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = this.idf(t);
      for (let j = 0; j < p.docs.length; j++) {
        const d = p.docs[j]!;
        const tf = p.tfs[j]!;
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / this.avgLength);
        scores.set(d, (scores.get(d) ?? 0) + qn * idf * ((tf * (this.k1 + 1)) / norm));
      }
    }
    const out: Array<{ index: number; score: number }> = [];
    for (const [index, score] of scores) if (!accept || accept(index)) out.push({ index, score });
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, limit);
  }
}
