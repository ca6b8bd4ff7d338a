import type { Language } from "./language.ts";
import { tokenize } from "../knowledge/text.ts";

/** What coverage needs from the knowledge base: term weights and an article's terms. */
export interface EvidenceSource {
  termWeight(term: string): number;
  articleTerms(path: string): Set<string>;
}

/**
 * How well the best article covers the question: the idf-weighted share of the
 * question's tokens (stemmed words, Chinese characters and bigrams) that occur
 * anywhere in it. Search scores are relative (the best hit always scores high);
 * coverage is absolute, so it can say "nothing here answers this". Weighting by idf
 * lets the rare, topical words decide ("chequebook", "黄金") rather than "how do I";
 * a word the knowledge base never mentions weighs the most, so a question about
 * something the bank does not document stays uncovered. The whole article counts,
 * not only the passage: its title and other sections often hold the question's
 * words. Measured on eval/data (ROC AUC of answerable over unanswerable questions,
 * reported by `npm run eval`): 0.74 for this, 0.68 for the best passage alone,
 * 0.59 unweighted.
 */
export function coverage(question: string, path: string, kb: EvidenceSource, context?: string): number {
  return termShare(questionTerms(kb, question, context), kb.articleTerms(path));
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

/** Weight of an earlier turn's terms in a follow-up's coverage (as in rankPassages). */
export const CONTEXT_SHARE = 0.5;

/**
 * The answer is grounded enough to give when its article's coverage reaches this.
 * English: about the equal-error point on the development half of our earlier
 * labelled sets (eval/data retrieval-a.jsonl answerable, every other line of
 * refusal.jsonl not). Chinese is tokenised into characters and bigrams, many of
 * them colloquial, so the same share means more: on the blind answer set's
 * development half (eval/answers.ts) 0.25 answered 64.5% of Chinese questions
 * correctly instead of 50.0%, with wrong answers unchanged at 7.9% and 64% of
 * must-decline questions still declined (77% at 0.33).
 */
export const MIN_COVERAGE: Record<Language, number> = { en: 0.33, zh: 0.25 };

/**
 * Of the best unit (sentence, list item or table row, read under its headings): the
 * share of the question it must cover for the passage to be given as the answer.
 * Set on the development half of the blind answer set (eval/answers.ts), where a
 * wrong answer counts as worse than a decline.
 */
export const MIN_UNIT_COVERAGE = 0.2;

/** Whether the best ranked passage is evidence enough to answer a question in this language from. */
export function answerable(best: { features: { article: number; unit: number } } | undefined, language: Language): boolean {
  return best !== undefined && best.features.article >= MIN_COVERAGE[language] && best.features.unit >= MIN_UNIT_COVERAGE;
}
