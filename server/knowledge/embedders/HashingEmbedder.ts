import { charNgrams, tokenize } from "../text.ts";
import { l2normalize, type Embedder } from "./Embedder.ts";

/** FNV-1a, 32-bit: fast and stable across processes and versions. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The offline default: a signed feature-hashing embedding of words, word bigrams
 * and character n-grams, with sublinear term frequency. It needs no model and no
 * network. Its value next to the lexical ranking is the character n-grams: they
 * match misspellings ("tranfer") and partial Chinese words that exact tokens miss.
 * Measured against lexical-only and dense-only in eval/ (npm run eval).
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  constructor(readonly dimensions = 512) {
    this.id = `hashing-v1-${dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    // feature -> [weight of its kind, occurrences]
    const counts = new Map<string, [number, number]>();
    const add = (f: string, w: number) => {
      const e = counts.get(f);
      if (e) e[1]++;
      else counts.set(f, [w, 1]);
    };
    const words = tokenize(text);
    for (let i = 0; i < words.length; i++) {
      add(`w:${words[i]}`, 1);
      if (i + 1 < words.length) add(`b:${words[i]}_${words[i + 1]}`, 0.5);
    }
    for (const g of charNgrams(text)) add(`c:${g}`, 0.35);
    const v = new Float32Array(this.dimensions);
    for (const [f, [w, n]] of counts) {
      const h = fnv1a(f);
      const sign = h & 1 ? 1 : -1;
      v[(h >>> 1) % this.dimensions]! += sign * w * (1 + Math.log(n));
    }
    return l2normalize(v);
  }
}
