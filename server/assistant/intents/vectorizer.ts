/**
 * TF-IDF over the two feature blocks of features.ts. Each block is L2-normalised on
 * its own and then weighted, so long English messages (many character n-grams) do
 * not drown the word features and Chinese and English messages live on one scale.
 */
import { CHAR_BLOCK, featureBlock, type FeatureCounts } from "./features.ts";
import type { SparseVector } from "./linear.ts";

export interface VectorizerOptions {
  /** Share of the squared norm given to the word block (rest: characters). Default 0.5. */
  wordShare?: number;
  /** Features seen in fewer training messages are dropped. Default 1 (keep all). */
  minDf?: number;
}

export interface Vectorized extends SparseVector {
  /** Share of the message's feature mass that the vocabulary knows (0..1). */
  coverage: number;
}

export class TfidfVectorizer {
  readonly vocab = new Map<string, number>();
  private idf = new Float32Array(0);
  private blocks = new Uint8Array(0);
  private readonly wordWeight: number;
  private readonly charWeight: number;

  constructor(private readonly options: VectorizerOptions = {}) {
    const share = options.wordShare ?? 0.5;
    this.wordWeight = Math.sqrt(share);
    this.charWeight = Math.sqrt(1 - share);
  }

  get size(): number {
    return this.vocab.size;
  }

  fit(docs: FeatureCounts[]): this {
    const df = new Map<string, number>();
    for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const minDf = this.options.minDf ?? 1;
    const keys = [...df.keys()].filter((k) => df.get(k)! >= minDf).sort();
    this.idf = new Float32Array(keys.length);
    this.blocks = new Uint8Array(keys.length);
    const n = docs.length;
    keys.forEach((k, i) => {
      this.vocab.set(k, i);
      this.idf[i] = Math.log((1 + n) / (1 + df.get(k)!)) + 1;
      this.blocks[i] = featureBlock(k);
    });
    return this;
  }

  transform(counts: FeatureCounts): Vectorized {
    const idx: number[] = [];
    const raw: number[] = [];
    const norms = [0, 0];
    let known = 0;
    let total = 0;
    for (const [k, c] of counts) {
      const tf = 1 + Math.log(c);
      total += tf;
      const i = this.vocab.get(k);
      if (i === undefined) continue;
      known += tf;
      const v = tf * this.idf[i]!;
      idx.push(i);
      raw.push(v);
      norms[this.blocks[i]!]! += v * v;
    }
    const scaleWord = norms[0]! > 0 ? this.wordWeight / Math.sqrt(norms[0]!) : 0;
    const scaleChar = norms[1]! > 0 ? this.charWeight / Math.sqrt(norms[1]!) : 0;
    const order = idx.map((_, j) => j).sort((a, b) => idx[a]! - idx[b]!);
    const outIdx = new Int32Array(order.length);
    const outVal = new Float32Array(order.length);
    order.forEach((j, o) => {
      outIdx[o] = idx[j]!;
      outVal[o] = raw[j]! * (this.blocks[idx[j]!] === CHAR_BLOCK ? scaleChar : scaleWord);
    });
    return { idx: outIdx, val: outVal, coverage: total > 0 ? known / total : 0 };
  }
}

/** Cosine similarity of two sorted sparse vectors (they are unit-norm when both blocks are present). */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}
