import { matchConcepts, normalizeText } from "../intents/features.ts";

/**
 * The banking products a question can be about, as concepts of the intents'
 * glossary (intents/concepts.ts): a credit card is not a debit card, a mortgage not
 * a transfer, a time deposit not 零存整取. A passage about another product than the
 * one asked about answers a different question however many words it shares.
 */
const PRODUCTS = new Set(["credit_card", "mortgage", "loan", "fixed_deposit", "monthly_saving", "invest"]);

export function productsOf(text: string): Set<string> {
  return new Set(matchConcepts(normalizeText(text)).filter((c) => PRODUCTS.has(c)));
}

/**
 * The share of the products the question names that the passage (its headings and
 * text) names too: 1 when the question names none.
 */
export function productMatch(asked: Set<string>, passage: Set<string>): number {
  if (!asked.size) return 1;
  let found = 0;
  for (const p of asked) if (passage.has(p)) found++;
  return found / asked.size;
}
