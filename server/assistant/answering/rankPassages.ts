import type { SearchHit } from "../../knowledge/KnowledgeSearch.ts";
import { tokenize } from "../../knowledge/text.ts";
import { articleStem, headingSlug } from "../../knowledge/articlePaths.ts";
import { expandQuery } from "../../knowledge/queryExpansion.ts";
import { heaviestMissing, questionTerms, termShare, type EvidenceSource } from "../evidence.ts";
import { askedKinds, carriedKinds, carriedShare, type AnswerKind } from "./answerType.ts";
import { units, type Unit } from "./units.ts";
import { productMatch, productsOf, subjectOf } from "./productMatch.ts";

/** What ranking needs of the knowledge base: candidate passages and term statistics. */
export interface PassageSource extends EvidenceSource {
  query(q: string, opts: { k: number; perArticle: number; context?: string; articles?: string[] }): Promise<SearchHit[]>;
  /** An article's sections in order (KnowledgeSearch.sectionPaths). */
  sectionPaths(path: string): string[];
}

export interface RankedPassage extends SearchHit {
  /** The reranked score (see WEIGHTS). */
  rank: number;
  features: PassageFeatures;
  /** The passage's quotable units, and which of them answers best (the answer leads with it). */
  units: Unit[];
  /** Each unit's match to the question (see scoreUnits). */
  unitScores: number[];
  best: number;
  /** The heaviest of the question's terms its article never uses, as a share of the question's weight (evidence.ts). */
  missingFromArticle: number;
  /**
   * The article's share of the question's terms with the banking lexicon's related words
   * counted too (at RELATED_CREDIT, as in the units): what the answer-or-decline model
   * reads ("我的卡不见了" is answered by an article that says 丢失, never 不见).
   */
  articleWithRelated: number;
  /**
   * The section's place among its article's (KnowledgeSearch.sectionPaths; -1 for the
   * untitled opening): a translation's same section has the same place, whatever number
   * of passages each language's text is cut into.
   */
  section: number;
}

export interface PassageFeatures {
  /** Hybrid search score relative to the best candidate's. */
  search: number;
  /** idf-weighted share of the question's terms in the passage (heading path and text). */
  passage: number;
  /** ...in its heading path alone (title › section › subsection). */
  heading: number;
  /** Share of the asked kinds of answer (duration, amount, steps...) the passage carries. */
  kind: number;
  /** The article's opening passage, when the question asks for nothing in particular (then it says what to do first). */
  opening: number;
  /** idf-weighted share of the question's terms anywhere in the article (evidence.ts). */
  article: number;
  /** The recognised intent points here (its `answer:`): 1 for the section named, 0.5 for the rest of a named article. */
  steered: number;
  /** The best unit's (sentence, list item, table row) share of the question's terms, with the passage's headings. */
  unit: number;
  /** ...times whether that unit carries the kind of answer asked for (the share alone when nothing in particular is asked). */
  unitKind: number;
  /** How well the closest of the section's sample questions (front matter `questions:`) matches the customer's. */
  question: number;
  /** Share of the products (credit card, mortgage, time deposit...) and foreign currencies the question names that the passage names (1 if none; productMatch.ts). */
  product: number;
}

/**
 * Weights of the features, set by coordinate ascent on the development half of the
 * blind answer set (`node --import tsx eval/tuneRanking.ts`; the holdout half is
 * only reported): the share of answerable questions whose top passage holds all of
 * the answer's facts went from 62% to 71% on dev, 69% to 74% on holdout (hybrid
 * search alone: 59% of the English dev questions). Passage-level coverage and the
 * opening-passage bonus got weight 0.
 */
export const WEIGHTS: PassageFeatures = {
  search: 1,
  passage: 0,
  heading: 0.3,
  kind: 0.05,
  opening: 0.3,
  article: 0.5,
  steered: 0.5,
  unit: 0.5,
  unitKind: 0.5,
  question: 0.5,
  product: 0,
};
/**
 * At most this many distinct terms make a bare statement: words in English,
 * characters in Chinese (its bigrams repeat the characters, and those with a
 * particle, 我的/的卡, say nothing: "我的卡丢了" is as bare as "卡丢了").
 */
const BARE_TERMS = 4;
/** Candidates reranked: passages of the hybrid search, several per article. */
const CANDIDATES = 24;
const PER_ARTICLE = 6;

/**
 * Ranks passages, not articles: the hybrid search proposes candidates (several per
 * article), and each is scored on what makes a passage *the* answer — how much of
 * the question it and its headings cover, whether it carries the kind of
 * information asked for, and its article's evidence. Follow-ups pass the earlier
 * turns as `context`: they steer the candidates and count at half weight.
 */
export async function rankPassages(
  kb: PassageSource,
  question: string,
  opts: { context?: string; weights?: PassageFeatures; steer?: string[]; articles?: string[] } = {},
): Promise<RankedPassage[]> {
  const hits = await kb.query(question, { k: CANDIDATES, perArticle: PER_ARTICLE, context: opts.context, articles: opts.articles });
  if (!hits.length) return [];
  const w = opts.weights ?? WEIGHTS;
  // "What about abroad?" after "what's the fee at another bank's ATM" asks the same thing of another
  // case: a follow-up that asks for no kind of answer of its own asks for the earlier turns'.
  const own = askedKinds(question);
  const asked = own.size || !opts.context ? own : askedKinds(opts.context);
  // "I lost my card", "卡丢了": a situation with no particular question; the article's opening says what to do first.
  // A short follow-up ("借记卡呢", "and for debit cards") asks about the earlier topic: never bare.
  const bare = !opts.context && !asked.size && statementTerms(question) <= BARE_TERMS;
  const terms = questionTerms(kb, question, opts.context);
  // "现在能提前还吗" after "我三个月前借了一笔Flexi" asks about the personal loan, not a mortgage's early repayment:
  // a follow-up that names no product or currency is about the earlier turns'.
  const ownSubject = subjectOf(question);
  const subject = ownSubject.products.size || ownSubject.currencies.size || !opts.context ? ownSubject : subjectOf(opts.context);
  const related = new Map([...expandQuery(question, RELATED_CREDIT)].map(([t, w]) => [t, w * kb.termWeight(t)]));
  const top = hits[0]!.score || 1;
  const ranked = hits.map((h) => {
    const parts = passageParts(h);
    const articleTerms = kb.articleTerms(h.path);
    const { scored, best, unit, unitKind } = scoreUnits(parts, terms, asked, related);
    const features: PassageFeatures = {
      search: h.score / top,
      passage: termShare(terms, parts.tokens),
      heading: termShare(terms, parts.headingTokens),
      kind: carriedShare(asked, parts.carried),
      opening: h.ordinal === 0 && bare ? 1 : 0,
      steered: steering(kb, h, opts.steer),
      article: termShare(terms, articleTerms),
      unit,
      unitKind,
      question: h.sampleQuestion ?? 0,
      product: productMatch(subject, parts.products, articleTerms, parts.tokens),
    };
    let rank = 0;
    for (const k of Object.keys(w) as Array<keyof PassageFeatures>) rank += w[k] * features[k];
    const missingFromArticle = heaviestMissing(terms, articleTerms);
    const articleWithRelated = Math.min(1, features.article + relatedShare(terms, related, articleTerms));
    return {
      ...h,
      rank,
      features,
      units: parts.units,
      unitScores: scored.map((u) => u.combined),
      best,
      missingFromArticle,
      articleWithRelated,
      section: kb.sectionPaths(h.path).indexOf(h.heading.split(" › ").slice(1).join(" › ")),
    };
  });
  return ranked.sort((a, b) => b.rank - a.rank);
}

const EXAMPLE = /^\W*(example|for example|e\.g\.|for instance|say you|if you (paid|put|borrow|send|deposit)|举例|例如|比如|假设)/i;
/** A sum worked out ("costs ¥260 + ¥150 = ¥410", "50,000 × 1.75% × 3 = ¥2,625") is an example, wherever it sits. */
const WORKED_SUM = /[\d%)元]\s*[=＝]\s*[¥$€£]?\s*\d/;
/** A sentence that sends the reader elsewhere ("... are covered in [transfer times](...)") answers nothing itself. */
const CROSS_REFERENCE = /\b(see|covered in|described in|explained in|read)\b[^.]{0,40}\]\(|(见|参见|参阅|详见)[^。]{0,10}\]\(/i;
const EXAMPLE_SHARE = 0.6;
/** A unit that carries the kind of answer asked for counts this much more... */
const UNIT_KIND_BONUS = 1;
/** ...and a passage's first unit, which usually states its point, this much. */
const FIRST_UNIT_BONUS = 0.1;

/**
 * Each unit's match: its share of the question's terms (read under its headings),
 * more when it carries the kind of answer asked; the best one leads the answer.
 * The features take the best share and the best share-times-kind separately.
 */
function scoreUnits(parts: PassageParts, terms: Map<string, number>, asked: Set<AnswerKind>, related?: Map<string, number>) {
  const scored = parts.unitTokens.map((t, i) => {
    const s = termShare(terms, t);
    // Which sentence answers is read with the banking lexicon's related words ("how long" ~ "arrival").
    const r = related ? relatedShare(terms, related, t) : 0;
    const u = parts.units[i]!;
    const kind = asked.size ? carriedShare(asked, parts.unitCarried[i]!) : 0;
    // A worked example illustrates the rule; it should not stand in for it.
    const example = parts.unitIsExample[i] ? EXAMPLE_SHARE : 1;
    // A page's description of itself names the topics a question asks about and answers none.
    if (u.scope) return { s: 0, both: 0, combined: 0, rule: false };
    return {
      s,
      both: s * (asked.size ? kind : 1),
      combined: example * ((s + r) * (1 + UNIT_KIND_BONUS * kind) + (i === 0 ? FIRST_UNIT_BONUS : 0)),
      rule: example === 1 && (!asked.size || kind > 0),
    };
  });
  // The answer leads with a rule that carries the kind of answer asked when the passage
  // has one that matches the question at all; a worked example only when it has none.
  const rules = scored.some((u) => u.rule && u.s > 0);
  let best = -1;
  scored.forEach((u, i) => {
    if (rules && !(u.rule && u.s > 0)) return;
    if (best < 0 || u.combined > scored[best]!.combined) best = i;
  });
  if (best < 0) best = 0;
  return {
    scored,
    best,
    unit: Math.max(0, ...scored.map((u) => u.s)),
    unitKind: Math.max(0, ...scored.map((u) => u.both)),
  };
}

/**
 * One passage's units scored against the question on their own (every term weighs
 * the same): for a generator handed a plain search hit.
 */
export function rankUnitsOf(h: SearchHit, question: string): RankedPassage {
  const parts = passageParts(h);
  const terms = new Map(tokenize(question).map((t) => [t, 1]));
  const { scored, best } = scoreUnits(parts, terms, askedKinds(question));
  const zero: PassageFeatures = {
    search: 0,
    passage: 0,
    heading: 0,
    kind: 0,
    opening: 0,
    article: 0,
    steered: 0,
    unit: 0,
    unitKind: 0,
    question: 0,
    product: 1,
  };
  return {
    ...h,
    rank: 0,
    features: zero,
    units: parts.units,
    unitScores: scored.map((u) => u.combined),
    best,
    missingFromArticle: 0,
    articleWithRelated: 0,
    // Its place among its article's sections is not looked up: a lone hit is only quoted.
    section: -1,
  };
}

/**
 * 1 for the section an intent's answer points at, 0.5 for the rest of its article.
 * A pointer names a section of one language's article; in a translation (same
 * stem, another locale) the section in the same place is the one meant: "卡丢了"
 * steered to the English "Step 1: freeze the card now" lands on "第一步：立即冻结",
 * not on whichever Chinese section shares the most characters with the question.
 */
function steering(kb: PassageSource, h: SearchHit, pointers: string[] | undefined): number {
  if (!pointers?.length) return 0;
  const stem = articleStem(h.path);
  const below = h.heading.split(" › ").slice(1).join(" › ");
  const section = headingSlug(h.heading.split(" › ").at(-1) ?? "");
  let best = 0;
  for (const p of pointers) {
    const [file, anchor] = p.split("#");
    if (articleStem(file!) !== stem) continue;
    if (!anchor) return 1;
    if (file === h.path) {
      best = Math.max(best, anchor === section ? 1 : 0.5);
      continue;
    }
    const place = kb.sectionPaths(file!).findIndex((s) => headingSlug(s.split(" › ").at(-1)!) === anchor);
    best = Math.max(best, place >= 0 && place === kb.sectionPaths(h.path).indexOf(below) ? 1 : 0.5);
  }
  return best;
}

/** Related words of the question present in a unit (or an article), as a share of the question's own weight (at RELATED_CREDIT). */
function relatedShare(terms: Map<string, number>, related: Map<string, number>, have: Set<string>): number {
  let total = 0;
  for (const w of terms.values()) total += w;
  let got = 0;
  for (const [t, w] of related) if (!terms.has(t) && have.has(t)) got += w;
  return total > 0 ? Math.min(0.5, got / total) : 0;
}
const RELATED_CREDIT = 0.3;

interface PassageParts {
  tokens: Set<string>;
  headingTokens: Set<string>;
  units: Unit[];
  /** Each unit's tokens with the heading path's (a sentence is read under its heading). */
  unitTokens: Array<Set<string>>;
  /** Products its headings and text name (productMatch.ts). */
  products: Set<string>;
  /**
   * The kinds of answer its text and each unit carry (answerType.ts), and which units are a
   * worked example or a pointer elsewhere: fixed for a passage, and a dozen regular
   * expressions over every unit of 24 candidates per reply were about 6 % of a worker's CPU
   * (a CPU profile of `npm run bench -- worker-replies`).
   */
  carried: Set<AnswerKind>;
  unitCarried: Array<Set<AnswerKind>>;
  unitIsExample: boolean[];
}

// Passages repeat across questions: their parts are kept (bounded).
const partsCache = new Map<string, PassageParts>();
function passageParts(h: SearchHit): PassageParts {
  const key = `${h.passageId}:${h.text.length}`;
  let parts = partsCache.get(key);
  if (!parts) {
    const headingTokens = new Set(tokenize(h.heading));
    const us = units(h.text);
    parts = {
      tokens: new Set(tokenize(`${h.heading}\n${h.text}`)),
      headingTokens,
      units: us,
      // A row is read under its table's header: "| 1 year | 1.35% |" is a rate because its column says so.
      // The blind answer sets' dev halves, correct (answered wrong): a ZH 80.3 → 81.6 % (5.3 → 3.9),
      // b EN 68.0 → 70.0 %, c EN 53.6 → 55.1 %, c ZH 52.8 → 55.6 %, d ZH 69.8 → 71.4 %; nothing fell.
      unitTokens: us.map((u) => new Set([...headingTokens, ...tokenize(u.kind === "row" && u.header ? `${u.header}\n${u.text}` : u.text)])),
      products: productsOf(`${h.heading}\n${h.text}`),
      carried: carriedKinds(h.text),
      unitCarried: us.map((u) => carriedKinds(u.text)),
      unitIsExample: us.map((u) => EXAMPLE.test(u.text) || WORKED_SUM.test(u.text) || CROSS_REFERENCE.test(u.text)),
    };
    if (partsCache.size >= 20_000) partsCache.clear();
    partsCache.set(key, parts);
  }
  return parts;
}

/** Distinct terms of a statement: its words, or for Chinese its single characters (see BARE_TERMS). */
function statementTerms(question: string): number {
  const tokens = new Set(tokenize(question));
  if (!/\p{Script=Han}/u.test(question)) return tokens.size;
  return [...tokens].filter((t) => !/\p{Script=Han}{2}/u.test(t)).length;
}
