import { tokenize } from "../knowledge/text.ts";

/**
 * How much of the question a text covers: the idf-weighted share of the question's
 * tokens (stemmed words, Chinese characters and bigrams) it has. Search scores are
 * relative (the best hit always scores high); coverage is absolute, so it can say
 * "nothing here answers this". Weighting by idf lets the rare, topical words decide
 * ("chequebook", "黄金") rather than "how do I"; a word the knowledge base never
 * mentions weighs the most. The ranker (answering/rankPassages.ts) reads it of a
 * passage, its headings, its units and its whole article; the answer confidence
 * (answering/confidence.ts) weighs those.
 */

/** What coverage needs from the knowledge base: term weights and an article's terms. */
export interface EvidenceSource {
  termWeight(term: string): number;
  articleTerms(path: string): Set<string>;
}

/**
 * The question's terms weighted by how rare they are in the knowledge base. A
 * follow-up's earlier turns count at half weight: "and what does it cost?" after a
 * question about timing is answered by an article about fees, which need not say "how long".
 */
export function questionTerms(kb: Pick<EvidenceSource, "termWeight">, question: string, context?: string): Map<string, number> {
  const terms = new Map(tokenize(question).map((t) => [t, kb.termWeight(t)]));
  if (context) for (const t of tokenize(context)) if (!terms.has(t)) terms.set(t, kb.termWeight(t) * CONTEXT_SHARE);
  return terms;
}

/** The weighted share of the terms that a text (its token set) has. */
export function termShare(terms: Map<string, number>, have: Set<string>): number {
  let got = 0;
  let total = 0;
  for (const [t, w] of terms) {
    total += w;
    if (have.has(t)) got += w;
  }
  return total > 0 ? got / total : 0;
}

/**
 * The heaviest of the question's terms that `have` lacks, as a share of the question's
 * weight: one rare word missing ("swift code", "美元") says a text is not about what was
 * asked, however much else of the question it covers.
 */
export function heaviestMissing(terms: Map<string, number>, have: Set<string>): number {
  let heaviest = 0;
  let total = 0;
  for (const [t, w] of terms) {
    total += w;
    if (!have.has(t)) heaviest = Math.max(heaviest, w);
  }
  return total > 0 ? heaviest / total : 0;
}

/** Weight of an earlier turn's terms in a follow-up's coverage (as in rankPassages). */
export const CONTEXT_SHARE = 0.5;
