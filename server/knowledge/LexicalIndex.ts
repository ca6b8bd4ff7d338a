/**
 * Okapi BM25 over our own tokens (stemmed English words, Chinese character
 * bigrams), with an optional second field for the title, section headings and tags
 * scored the BM25F way (Robertson & Zaragoza): a term's frequencies in the two
 * fields are length-normalised separately and added with the heading's weight
 * before BM25's saturation. Kept in memory: PostgreSQL's built-in text search
 * neither segments Chinese nor ranks by BM25, and a few hundred thousand passages
 * fit easily (postings in flat typed arrays; 100,000 passages take about 100 MB).
 */
export interface LexicalDoc {
  id: string;
  /** Body tokens. */
  tokens: string[];
  /** Title, heading and tag tokens (BM25F field), if any. */
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

export class LexicalIndex {
  /** term → term id; term id t's postings are entries start[t] .. start[t + 1] - 1. */
  private readonly vocab = new Map<string, number>();
  private readonly start: Int32Array;
  private readonly postDoc: Int32Array;
  private readonly postBody: Uint16Array;
  private readonly postHead: Uint16Array;
  private readonly bodyNorm: Float32Array;
  private readonly headNorm: Float32Array;
  private readonly k1: number;
  private readonly headingWeight: number;
  // Scratch space for search (JavaScript runs one search at a time).
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  readonly ids: string[];

  constructor(docs: LexicalDoc[], opts: LexicalOptions = {}) {
    this.k1 = opts.k1 ?? 1.2;
    const b = opts.b ?? 0.75;
    const hb = opts.headingB ?? 0.5;
    const hw = (this.headingWeight = opts.headingWeight ?? 0);
    this.ids = docs.map((d) => d.id);
    const n = docs.length;

    const built = buildPostings(docs, this.vocab, hw > 0);
    this.start = built.start;
    this.postDoc = built.doc;
    this.postBody = built.body;
    this.postHead = built.head;
    const bodyTotal = built.bodyTotal;
    const headTotal = built.headTotal;

    const avgBody = n && bodyTotal ? bodyTotal / n : 1;
    const avgHead = n && headTotal ? headTotal / n : 1;
    this.bodyNorm = new Float32Array(n);
    this.headNorm = new Float32Array(n);
    docs.forEach((d, i) => {
      this.bodyNorm[i] = 1 - b + (b * d.tokens.length) / avgBody;
      this.headNorm[i] = 1 - hb + (hb * (d.heading?.length ?? 0)) / avgHead;
    });
    this.acc = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Number of documents containing the term. */
  df(term: string): number {
    const t = this.vocab.get(term);
    return t === undefined ? 0 : this.start[t + 1]! - this.start[t]!;
  }

  idf(term: string): number {
    const df = this.df(term);
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  private deletes: Map<string, string[]> | undefined;

  /**
   * Indexed words one edit (insertion, deletion, substitution or transposition of
   * adjacent letters) away from an unknown Latin-script word: a typo fallback.
   * Built on first use, by the symmetric-delete method.
   */
  nearTerms(term: string): string[] {
    if (term.length < 4 || !/^[a-z]+$/.test(term) || this.vocab.has(term)) return [];
    if (!this.deletes) {
      this.deletes = new Map();
      for (const t of this.vocab.keys()) {
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

  /**
   * Top documents by BM25(F). The query is a list of tokens (each occurrence counts)
   * or weighted terms; `accept` filters by document index.
   */
  search(query: string[] | WeightedQuery, limit: number, accept?: (docIndex: number) => boolean): Array<{ index: number; score: number }> {
    const weights = Array.isArray(query) ? countTokens(query) : query;
    const { acc, touched, k1, headingWeight: hw } = this;
    let nTouched = 0;
    for (const [term, qw] of weights) {
      const t = this.vocab.get(term);
      if (t === undefined || qw <= 0) continue;
      const idf = this.idf(term) * qw;
      for (let j = this.start[t]!, end = this.start[t + 1]!; j < end; j++) {
        const d = this.postDoc[j]!;
        let tf = this.postBody[j]! / this.bodyNorm[d]!;
        if (hw > 0) tf += (hw * this.postHead[j]!) / this.headNorm[d]!;
        if (acc[d] === 0) touched[nTouched++] = d;
        acc[d]! += (idf * (tf * (k1 + 1))) / (tf + k1);
      }
    }
    // Best `limit` by a min-heap, then sorted best first.
    const heap: Array<{ index: number; score: number }> = [];
    for (let j = 0; j < nTouched; j++) {
      const d = touched[j]!;
      const score = acc[d]!;
      acc[d] = 0;
      if (accept && !accept(d)) continue;
      if (heap.length < limit) heapPush(heap, { index: d, score });
      else if (limit > 0 && score > heap[0]!.score) heapReplaceTop(heap, { index: d, score });
    }
    return heap.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

export function countTokens(tokens: string[]): WeightedQuery {
  const m: WeightedQuery = new Map();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/**
 * Postings in compressed-sparse-row form: one pass collects (term, doc, body tf,
 * heading tf) entries, a counting sort groups them by term.
 */
function buildPostings(docs: LexicalDoc[], vocab: Map<string, number>, withHeadings: boolean) {
  let cap = 1 << 16;
  let tids = new Int32Array(cap);
  let dids = new Int32Array(cap);
  let bodyTf = new Uint16Array(cap);
  let headTf = new Uint16Array(cap);
  // Per-document counters by term id, and the ids seen in the current document.
  let body = new Uint16Array(1024);
  let head = new Uint16Array(1024);
  let seen = new Int32Array(1024);
  let count = 0;
  let bodyTotal = 0;
  let headTotal = 0;
  const idOf = (t: string): number => {
    let id = vocab.get(t);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(t, id);
      if (id >= body.length) {
        body = grow(body, body.length * 2);
        head = grow(head, head.length * 2);
      }
    }
    return id;
  };
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    let nSeen = 0;
    const tokens = d.tokens;
    bodyTotal += tokens.length;
    if (tokens.length * 2 + 64 > seen.length) seen = new Int32Array(tokens.length * 2 + 64);
    for (let j = 0; j < tokens.length; j++) {
      const id = idOf(tokens[j]!);
      if (body[id] === 0) seen[nSeen++] = id;
      if (body[id]! < 0xffff) body[id]!++;
    }
    if (withHeadings && d.heading) {
      headTotal += d.heading.length;
      if (nSeen + d.heading.length > seen.length) seen = grow(seen, nSeen + d.heading.length + 64);
      for (const t of d.heading) {
        const id = idOf(t);
        if (body[id] === 0 && head[id] === 0) seen[nSeen++] = id;
        if (head[id]! < 0xffff) head[id]!++;
      }
    }
    if (count + nSeen > cap) {
      while (count + nSeen > cap) cap *= 2;
      tids = grow(tids, cap);
      dids = grow(dids, cap);
      bodyTf = grow(bodyTf, cap);
      headTf = grow(headTf, cap);
    }
    for (let j = 0; j < nSeen; j++) {
      const id = seen[j]!;
      tids[count] = id;
      dids[count] = i;
      bodyTf[count] = body[id]!;
      headTf[count++] = head[id]!;
      body[id] = 0;
      head[id] = 0;
    }
  }
  const terms = vocab.size;
  const start = new Int32Array(terms + 1);
  for (let j = 0; j < count; j++) start[tids[j]! + 1]!++;
  for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!;
  const fill = start.slice(0, terms);
  const doc = new Int32Array(count);
  const bodyOut = new Uint16Array(count);
  const headOut = new Uint16Array(count);
  for (let j = 0; j < count; j++) {
    const at = fill[tids[j]!]!++;
    doc[at] = dids[j]!;
    bodyOut[at] = bodyTf[j]!;
    headOut[at] = headTf[j]!;
  }
  return { start, doc, body: bodyOut, head: headOut, bodyTotal, headTotal };
}

function grow<T extends Int32Array | Uint16Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

type Entry = { index: number; score: number };
const less = (a: Entry, b: Entry) => a.score < b.score || (a.score === b.score && a.index > b.index);

function heapPush(h: Entry[], e: Entry) {
  h.push(e);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(h[i]!, h[p]!)) break;
    [h[i], h[p]] = [h[p]!, h[i]!];
    i = p;
  }
}

function heapReplaceTop(h: Entry[], e: Entry) {
  h[0] = e;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && less(h[l]!, h[m]!)) m = l;
    if (r < h.length && less(h[r]!, h[m]!)) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m]!, h[i]!];
    i = m;
  }
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
