import type { SearchHit } from "../knowledge/KnowledgeSearch.ts";
import { tokenize } from "../knowledge/text.ts";

/**
 * How well the best passage covers the question: the share of the question's
 * content tokens (stemmed words, Chinese characters and bigrams) that occur in it.
 * Search scores are relative (the best hit always scores high); coverage is
 * absolute, so it can say "nothing here answers this".
 */
export function coverage(question: string, hit: Pick<SearchHit, "heading" | "text">): number {
  const q = [...new Set(tokenize(question))];
  if (q.length === 0) return 0;
  const doc = new Set(tokenize(`${hit.heading}\n${hit.text}`));
  // Chinese single characters are weak evidence alone: count them at half weight.
  let got = 0;
  let total = 0;
  for (const t of q) {
    const w = /^[\u3400-\u9fff]$/.test(t) ? 0.5 : 1;
    total += w;
    if (doc.has(t)) got += w;
  }
  return got / total;
}

/**
 * The answer is grounded enough to give when coverage reaches this. 0.4 is about
 * the equal-error point on our labelled sets (54 % of answerable questions answered,
 * 56 % of unanswerable ones declined): coverage alone separates them poorly, and a
 * better answerability signal is the next step (see eval/).
 */
export const MIN_COVERAGE = 0.4;
