/**
 * TF-IDF over the two feature blocks of features.ts. Each block is L2-normalised on
 * its own and then weighted, so long English messages (many character n-grams) do
 * not drown the word features and Chinese and English messages live on one scale.
 *
 * Feature strings are interned once into a vocabulary (`encode`); IDF weights can
 * then be computed for any subset of the encoded training messages (`fitIdf`),
 * which is what cross-validation needs, without re-hashing strings per fold.
 */
import { CHAR_BLOCK, featureBlock, type FeatureCounts } from "./features.ts";
import type { SparseVector } from "./linear.ts";

export interface VectorizerOptions {
  /** Share of the squared norm given to the word block (rest: characters). Default 0.5. */
  wordShare?: number;
}

/** A message as vocabulary ids (ascending) with sublinear term frequencies. */
export interface EncodedDoc {
  ids: Int32Array;
  tf: Float32Array;
}

export class TfidfVectorizer {
  private readonly vocab = new Map<string, number>();
  private blocks: number[] = [];
  private idf: Float32Array = new Float32Array(0);
  private readonly wordWeight: number;
  private readonly charWeight: number;

  constructor(options: VectorizerOptions = {}) {
    const share = options.wordShare ?? 0.5;
    this.wordWeight = Math.sqrt(share);
    this.charWeight = Math.sqrt(1 - share);
  }

  /** Vocabulary size (the feature dimension). */
  get size(): number {
    return this.vocab.size;
  }

  /** Encodes a message, adding unseen features to the vocabulary when `grow` is set. */
  encode(counts: FeatureCounts, grow = false): EncodedDoc {
    const pairs: Array<[number, number]> = [];
    for (const [k, c] of counts) {
      let id = this.vocab.get(k);
      if (id === undefined) {
        if (!grow) continue;
        id = this.vocab.size;
        this.vocab.set(k, id);
        this.blocks.push(featureBlock(k));
      }
      pairs.push([id, 1 + Math.log(c)]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(pairs, (p) => p[0]), tf: Float32Array.from(pairs, (p) => p[1]) };
  }

  /**
   * Smoothed IDF from these (encoded) training messages. Features that none of them
   * contains get weight 0, i.e. are unknown to a model trained on this subset.
   */
  fitIdf(docs: readonly EncodedDoc[]): Float32Array {
    const df = new Float32Array(this.vocab.size);
    for (const d of docs) for (const id of d.ids) df[id]!++;
    const idf = new Float32Array(this.vocab.size);
    const n = docs.length;
    for (let i = 0; i < idf.length; i++) idf[i] = df[i]! > 0 ? Math.log((1 + n) / (1 + df[i]!)) + 1 : 0;
    return idf;
  }

  /** Learns vocabulary and IDF from feature counts. */
  fit(docs: readonly FeatureCounts[]): this {
    const encoded = docs.map((d) => this.encode(d, true));
    this.idf = this.fitIdf(encoded);
    return this;
  }

  useIdf(idf: Float32Array): this {
    this.idf = idf;
    return this;
  }

  /** TF-IDF vector of an encoded message under the given (or the fitted) IDF. */
  weigh(doc: EncodedDoc, idf: Float32Array = this.idf): SparseVector {
    let n = 0;
    const norms = [0, 0];
    const val = new Float32Array(doc.ids.length);
    for (let k = 0; k < doc.ids.length; k++) {
      const id = doc.ids[k]!;
      const w = id < idf.length ? idf[id]! : 0;
      if (w === 0) continue;
      const v = doc.tf[k]! * w;
      val[k] = v;
      norms[this.blocks[id]!]! += v * v;
      n++;
    }
    // A message with only one block (e.g. Chinese without English) gives that block
    // the full weight, so every message has unit norm.
    const [ww, cw] = norms[0]! > 0 && norms[1]! > 0 ? [this.wordWeight, this.charWeight] : [1, 1];
    const scale = [norms[0]! > 0 ? ww / Math.sqrt(norms[0]!) : 0, norms[1]! > 0 ? cw / Math.sqrt(norms[1]!) : 0];
    const outIdx = new Int32Array(n);
    const outVal = new Float32Array(n);
    for (let k = 0, o = 0; k < doc.ids.length; k++) {
      if (val[k] === 0) continue;
      const id = doc.ids[k]!;
      outIdx[o] = id;
      outVal[o++] = val[k]! * scale[this.blocks[id] === CHAR_BLOCK ? 1 : 0]!;
    }
    return { idx: outIdx, val: outVal };
  }

  transform(counts: FeatureCounts): SparseVector {
    return this.weigh(this.encode(counts));
  }
}

/** Dot product of two sparse vectors with ascending indices (cosine when both are unit-norm). */
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
