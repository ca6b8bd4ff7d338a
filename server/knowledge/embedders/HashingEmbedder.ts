import { conceptsOf, expandQuery } from "../queryExpansion.ts";
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

/** Weight of a character n-gram feature relative to a word. */
const NGRAM_WEIGHT = 0.35;
/** Weight of a banking concept of the lexicon that the text mentions, in either language. */
const CONCEPT_WEIGHT = 1;
/** Weight of a word that the banking lexicon relates to the question's words (queries only). */
const EXPANSION_WEIGHT = 0.3;

/**
 * The offline default: a signed feature-hashing embedding of words (our tokens:
 * stemmed English, Chinese characters and bigrams), character n-grams and the
 * banking concepts of the lexicon (queryExpansion.ts) that the text mentions, with
 * sublinear term frequency; a query also gets the lexicon's related words at a
 * lower weight. It needs no model and no network.
 *
 * Measured with eval/retrieval.ts (dense mode, MRR@10 on the development half a /
 * held-out half b): v1 (words, word bigrams, n-grams) 0.524 / 0.555 with the new
 * tokeniser; without word bigrams (mostly hash collisions) and with query
 * expansion 0.616 / 0.626; with concept features (shared by English and Chinese
 * text) 0.623–0.636 / 0.648–0.650 (HNSW builds vary), hybrid 0.775 / 0.774.
 * Character n-grams are worth keeping (without them 0.494 / 0.478); 1,024
 * dimensions would give more in dense mode but double the storage and HNSW cost
 * for no gain in hybrid search, where the lexical side dominates.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  constructor(readonly dimensions = 512) {
    this.id = `hashing-v2-${dimensions}`;
  }

  async embed(texts: string[], kind: "query" | "passage" = "passage"): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t, kind));
  }

  embedOne(text: string, kind: "query" | "passage" = "passage"): Float32Array {
    // feature -> [weight of its kind, occurrences]
    const counts = new Map<string, [number, number]>();
    const add = (f: string, w: number) => {
      const e = counts.get(f);
      if (e) e[1]++;
      else counts.set(f, [w, 1]);
    };
    const words = tokenize(text);
    for (const w of words) add(`w:${w}`, 1);
    for (const g of charNgrams(text)) add(`c:${g}`, NGRAM_WEIGHT);
    for (const c of conceptsOf(text, words)) add(`k:${c}`, CONCEPT_WEIGHT);
    if (kind === "query") for (const [t, w] of expandQuery(text, EXPANSION_WEIGHT)) if (!counts.has(`w:${t}`)) add(`w:${t}`, w);
    const v = new Float32Array(this.dimensions);
    for (const [f, [w, n]] of counts) {
      const h = fnv1a(f);
      const sign = h & 1 ? 1 : -1;
      v[(h >>> 1) % this.dimensions]! += sign * w * (1 + Math.log(n));
    }
    return l2normalize(v);
  }
}
