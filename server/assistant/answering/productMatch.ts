import { matchConcepts, normalizeText } from "../intents/features.ts";
import { tokenize } from "../../knowledge/text.ts";

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
 * Foreign currencies by the tokens that name them (knowledge/text.ts tokens: stemmed,
 * traditional characters folded). A rate, fee or rule of ours is for yuan unless the
 * article says which currency: "美元定期存款利率多少" is not answered by the yuan rate
 * table, which never names a currency. A dollar alone may be any country's.
 */
const CURRENCIES: Record<string, string[]> = {
  usd: ["usd", "美元", "美金"],
  hkd: ["hkd", "港币", "港元"],
  eur: ["eur", "euro", "欧元"],
  jpy: ["jpy", "yen", "日元", "日圆"],
  gbp: ["gbp", "sterl", "英镑"],
  dollar: ["dollar"],
};
/** The words an article names a currency by: its own, and for a dollar any country's. */
const COVERED: Record<string, string[]> = {
  ...CURRENCIES,
  usd: [...CURRENCIES.usd!, "dollar"],
  dollar: ["dollar", ...CURRENCIES.usd!, ...CURRENCIES.hkd!, "aud", "cad", "sgd"],
};
/**
 * A passage that speaks of foreign currencies as a whole ("in yuan and foreign currencies",
 * 外币) covers each; only the passage, as an article's other sections are about yuan
 * ("有美元的大额存单吗" is not answered by the CD rate table because the article's deposit
 * insurance section counts foreign-currency deposits).
 */
const ANY_FOREIGN = ["外币", "外汇"];

/** The foreign currencies a question names. */
export function currenciesOf(text: string): Set<string> {
  const tokens = new Set(tokenize(text));
  return new Set(Object.keys(CURRENCIES).filter((c) => CURRENCIES[c]!.some((w) => tokens.has(w))));
}

/** What a question is about that a passage must be about too: the products and foreign currencies it names. */
export interface Subject {
  products: Set<string>;
  currencies: Set<string>;
}

export function subjectOf(question: string): Subject {
  return { products: productsOf(question), currencies: currenciesOf(question) };
}

/**
 * The share of the products and currencies the question names that the passage
 * names too: a product in its headings and text (`passageProducts`), a currency by its
 * name anywhere in the article (a table names its currency once, perhaps in another
 * section) or as "foreign currencies" in the passage itself (`passageTerms`). 1 when the
 * question names neither.
 */
export function productMatch(asked: Subject, passageProducts: Set<string>, articleTerms: Set<string>, passageTerms: Set<string>): number {
  const n = asked.products.size + asked.currencies.size;
  if (!n) return 1;
  let found = 0;
  for (const p of asked.products) if (passageProducts.has(p)) found++;
  const anyForeign = ANY_FOREIGN.some((w) => passageTerms.has(w)) || (passageTerms.has("foreign") && passageTerms.has("currenc"));
  for (const c of asked.currencies) if (anyForeign || COVERED[c]!.some((w) => articleTerms.has(w))) found++;
  return found / n;
}
