/**
 * Turns texts into vectors for pgvector. Implementations: the offline hashing
 * embedder (default, no model), transformers.js with a local model directory, and
 * any OpenAI-compatible embeddings API. `id` names the model and settings: the index
 * records it, and a different id means the index is re-embedded.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  /** Unit-length vectors, one per text, in order. */
  embed(texts: string[], kind: "query" | "passage"): Promise<Float32Array[]>;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
