import type { Database } from "../db/Database.ts";
import { statement, toVector } from "../db/Database.ts";
import type { Embedder } from "./embedders/Embedder.ts";
import { hanScript } from "./hanFold.ts";
import { LexicalIndex, countTokens, type WeightedQuery } from "./LexicalIndex.ts";
import { expandQuery } from "./queryExpansion.ts";
import { isHan, TOKENIZER_VERSION, tokenize } from "./text.ts";
import { articleStem } from "./articlePaths.ts";
import { languageOf } from "./syncKnowledge.ts";
import type { KnowledgeHit } from "../../shared/wire/index.ts";

/** A passage found: what agents see of it (shared/wire/knowledge.ts), and its id for the assistant's evidence. */
export interface SearchHit extends KnowledgeHit {
  passageId: string;
}

export interface SearchOptions {
  k?: number;
  /** "en", "zh" (any Chinese) or an exact locale such as "zh-TW". */
  locale?: string;
  product?: string;
  /** "hybrid" (default), or one signal alone for evaluation. */
  mode?: "hybrid" | "lexical" | "dense";
  /** Passages per article in the results (default 1: one hit per article). */
  perArticle?: number;
  /**
   * Earlier turns of the conversation ("how long does a transfer abroad take" before
   * "and what does it cost?"): their words join the query at CONTEXT_WEIGHT, so a
   * follow-up keeps its topic while its own words decide what is asked.
   */
  context?: string;
  /** Only passages of these articles, named by any of their translations' paths. */
  articles?: string[];
}

interface PassageMeta {
  id: string;
  ordinal: number;
  path: string;
  title: string;
  heading: string;
  text: string;
  locale: string;
  product: string | null;
}

/** Share of the lexical signal in the fused score; the rest is the dense one. */
export const LEXICAL_WEIGHT = 0.6;
const CANDIDATES = 50;
const VERSION_CHECK_MS = 1000;
/** BM25F: a title, heading or tag occurrence counts this many body occurrences. */
const HEADING_WEIGHT = 2;
/** Query expansion from the banking lexicon, relative to the question's own words. */
const EXPANSION_WEIGHT = 0.3;
/** Indexed words one typo away from an unknown word of the question. */
const TYPO_WEIGHT = 0.5;
/** A passage gains this share of the scores of its article's next best passages. */
const ARTICLE_SHARE = 0.3;
const ARTICLE_PASSAGES = 2;
/** Words of the earlier turns, relative to the question's own (set on the answer set's development half). */
const CONTEXT_WEIGHT = 0.5;
/**
 * Weight in the fused score of how closely a section's sample questions (front
 * matter `questions:` by anchor) say what the customer said (0 to 1,
 * sampleQuestionMatches). Set by hand, not tuned: the ranker weighs the match again
 * (rankPassages' `question`, tuned on the answer set's development half).
 */
const QUESTION_WEIGHT = 0.5;
/** Soft language preference: a passage in the other language keeps this share of its score... */
const OTHER_LANGUAGE = 0.8;
/** ...and one in the other Chinese script (zh-CN vs zh-TW) this share. */
const OTHER_SCRIPT = 0.9;

/**
 * Hybrid retrieval: BM25F over our tokens (titles and headings weighted) and cosine
 * similarity over pgvector (HNSW), fused by a weighted sum of scores (lexical
 * max-normalised, cosine as is). The question is expanded with a banking lexicon
 * and typo neighbours; passages gain from their article's other matching passages;
 * passages in the question's language are preferred. Each choice was made on
 * eval/data/retrieval-a.jsonl and checked on the held-out retrieval-b.jsonl (npx
 * tsx eval/retrieval.ts, figures at its top). Reciprocal rank fusion and max- or
 * min-max-normalised cosine did worse than this weighted sum, as did RM3
 * pseudo-relevance feedback and down-weighting single Chinese characters.
 */
export class KnowledgeSearch {
  private lexical: LexicalIndex | undefined;
  /** The sections' sample questions, one document each, and the passage each belongs to. */
  private questions:
    | {
        index: LexicalIndex;
        passage: Int32Array;
        /** Each sample question's distinct terms with their weights (sampleQuestionMatches), and their sum. */
        weighted: Array<{ terms: Array<[string, number]>; own: number }>;
        asked: Set<number>;
      }
    | undefined;
  private meta: PassageMeta[] = [];
  private byId = new Map<string, number>();
  private version = -1;
  private checkedAt = 0;
  private loading: Promise<void> | undefined;
  private articleTermSets = new Map<string, Set<string>>();
  private articleSections = new Map<string, string[]>();
  /** Languages of the indexed passages (one vector index each). */
  private languages: string[] = [];

  constructor(
    private readonly db: Database,
    private readonly embedder: Embedder,
  ) {}

  /** Reloads the lexical index when another sync (in any process) changed the knowledge base. */
  private async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt < VERSION_CHECK_MS && this.lexical) return;
    this.checkedAt = Date.now();
    const { rows } = await this.db.query<{ version: number; tokenizer: number }>("SELECT version, tokenizer FROM kb_index");
    const v = rows[0]?.version ?? 0;
    if (v === this.version && this.lexical) return;
    // Tokens stored by an older tokeniser (a process reading an index no sync has rebuilt yet) are tokenised again.
    const stored = (rows[0]?.tokenizer ?? TOKENIZER_VERSION) === TOKENIZER_VERSION;
    this.loading ??= this.load(v, stored).finally(() => (this.loading = undefined));
    await this.loading;
  }

  /** Forces the next search to check for a new version (after a sync in this process). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  private async load(version: number, storedTokensCurrent: boolean) {
    // Tokens as one string: much cheaper to transfer and split than a text[] to parse.
    const { rows } = await this.db.query<
      PassageMeta & { tokens: string; tags: string[]; questions: string[]; section_questions: string[] }
    >(
      `SELECT p.id, p.ordinal, a.path, a.title, p.heading, p.text, a.locale, a.product, a.tags, a.questions,
              p.questions AS section_questions,
              array_to_string(p.tokens, ' ') AS tokens
       FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id ORDER BY a.path, p.ordinal`,
    );
    // Headings and tags repeat across an article's passages: tokenise each once.
    const memo = new Map<string, string[]>();
    const tokensOf = (s: string) => {
      let t = memo.get(s);
      if (!t) memo.set(s, (t = tokenize(s)));
      return t;
    };
    const docs = rows.map((r) => {
      const heading = tokensOf(r.heading);
      const body = storedTokensCurrent ? splitTokens(r.tokens).slice(heading.length) : tokenize(r.text);
      // Tags and the content team's sample questions count like the headings (the BM25F heading field).
      const extra = [...r.tags, ...r.questions];
      return { id: r.id, tokens: body, heading: extra.length ? [...heading, ...tokensOf(extra.join(" ; "))] : heading };
    });
    this.lexical = new LexicalIndex(docs, { headingWeight: HEADING_WEIGHT });
    const questionDocs: Array<{ id: string; tokens: string[] }> = [];
    const questionPassage: number[] = [];
    rows.forEach((r, i) =>
      r.section_questions.forEach((question, j) => {
        questionDocs.push({ id: `${r.id}#${j}`, tokens: tokensOf(question) });
        questionPassage.push(i);
      }),
    );
    const questionIndex = questionDocs.length ? new LexicalIndex(questionDocs) : undefined;
    const weight = questionIndex && sampleQuestionWeight(this.lexical, questionIndex);
    this.questions = questionIndex
      ? {
          index: questionIndex,
          passage: Int32Array.from(questionPassage),
          // The weights depend on the two indexes alone: computed here once, not for each
          // candidate of each search. In a profile of the worker at saturation they took 3.0 s
          // of its 70 s busy (LexicalIndex.df); a search over the demo guide, the four answer
          // sets' 1,314 questions, median of five runs: 2.54–2.61 → 2.38–2.45 ms, same results.
          weighted: questionDocs.map((d) => {
            const terms = [...new Set(d.tokens)].map((t): [string, number] => [t, weight!(t)]);
            return { terms, own: terms.reduce((sum, [, w]) => sum + w, 0) };
          }),
          asked: new Set(questionPassage),
        }
      : undefined;
    this.meta = rows.map(({ tokens: _t, tags: _g, questions: _q, section_questions: _s, ...m }) => m);
    this.byId = new Map(rows.map((r, i) => [r.id, i]));
    this.articleTermSets = new Map();
    this.articleSections = new Map();
    this.languages = [...new Set(rows.map((r) => languageOf(r.locale)))];
    this.version = version;
  }

  /** The question's tokens, their typo neighbours and lexicon expansions, weighted. */
  private queryTerms(q: string, context?: string): WeightedQuery {
    const terms = countTokens(tokenize(q));
    if (context) for (const [t, w] of countTokens(tokenize(context))) if (!terms.has(t)) terms.set(t, w * CONTEXT_WEIGHT);
    for (const [t, w] of [...terms]) {
      const near = this.lexical!.nearTerms(t);
      for (const n of near) if (!terms.has(n)) terms.set(n, (w * TYPO_WEIGHT) / near.length);
    }
    for (const [t, w] of expandQuery(q, EXPANSION_WEIGHT)) if (!terms.has(t)) terms.set(t, w);
    return terms;
  }

  /**
   * How informative a term is in this knowledge base (BM25 idf): rare terms weigh
   * more, and a term no passage contains weighs the most. Valid after a search (the
   * index is loaded by it).
   */
  termWeight(term: string): number {
    return this.lexical?.idf(term) ?? 0;
  }

  /** Every token of an article (title, headings and text of all its passages). Valid after a search. */
  articleTerms(path: string): Set<string> {
    let terms = this.articleTermSets.get(path);
    if (!terms) {
      terms = new Set();
      for (const m of this.meta) if (m.path === path) for (const t of tokenize(`${m.title}\n${m.heading}\n${m.text}`)) terms.add(t);
      this.articleTermSets.set(path, terms);
    }
    return terms;
  }

  /**
   * An article's sections in order, each as its heading path below the title
   * ("Step 1: freeze the card now", "Step 2 › In a branch"). Translations of an
   * article keep their sections in the same order, so a section of one language
   * is found in another by its place. Valid after a search.
   */
  sectionPaths(path: string): string[] {
    let sections = this.articleSections.get(path);
    if (!sections) {
      sections = [];
      for (const m of this.meta) {
        if (m.path !== path) continue;
        const below = m.heading.split(" › ").slice(1).join(" › ");
        if (below && sections.at(-1) !== below) sections.push(below);
      }
      this.articleSections.set(path, sections);
    }
    return sections;
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const q = query.trim();
    if (!q) throw new Error("empty query");
    await this.ensureFresh();
    const k = opts.k ?? 5;
    const mode = opts.mode ?? "hybrid";
    const matches = passageFilter(opts);
    const accept = (i: number) => matches(this.meta[i]!);

    const fused = new Map<number, number>();
    let sampleQuestion = new Map<number, number>();
    if (mode !== "dense") {
      const terms = this.queryTerms(q, opts.context);
      sampleQuestion = this.sampleQuestionMatches(terms, accept);
      const lex = this.lexical!.search(terms, CANDIDATES, accept);
      const max = lex[0]?.score ?? 0;
      const w = mode === "hybrid" ? LEXICAL_WEIGHT : 1;
      for (const h of lex) fused.set(h.index, (fused.get(h.index) ?? 0) + (max > 0 ? (w * h.score) / max : 0));
      for (const [i, match] of sampleQuestion) fused.set(i, (fused.get(i) ?? 0) + QUESTION_WEIGHT * match);
    }
    if (mode !== "lexical") {
      const dense = await this.dense(opts.context ? `${q}\n${opts.context}` : q, opts);
      const w = mode === "hybrid" ? 1 - LEXICAL_WEIGHT : 1;
      for (const h of dense) {
        const i = this.byId.get(h.id);
        // The SQL filters by locale and product; the other filters (articles) apply here.
        if (i !== undefined && accept(i)) fused.set(i, (fused.get(i) ?? 0) + w * Math.max(0, h.similarity));
      }
    }
    const scored = this.preferLanguage(q, this.withArticleEvidence(fused));
    const ranked = [...scored].sort((a, b) => b[1] - a[1]);
    const perArticle = opts.perArticle ?? 1;
    const seen = new Map<string, number>();
    const hits: SearchHit[] = [];
    for (const [i, score] of ranked) {
      const m = this.meta[i]!;
      const n = seen.get(m.path) ?? 0;
      if (n >= perArticle) continue;
      seen.set(m.path, n + 1);
      hits.push({
        path: m.path,
        title: m.title,
        heading: m.heading,
        score: Number(score.toFixed(4)),
        text: m.text,
        locale: m.locale,
        passageId: m.id,
        ordinal: m.ordinal,
        sampleQuestion: this.questions?.asked.has(i) ? Number((sampleQuestion.get(i) ?? 0).toFixed(4)) : null,
      });
      if (hits.length >= k) break;
    }
    return hits;
  }

  /**
   * For passages whose section lists sample questions: how closely the nearest of
   * them says what the customer said, as the weighted Dice overlap of their terms
   * (each term weighed by its idf in the knowledge base; the question's expansions
   * at their own weight): 1 for the same words, 0 for none in common. An absolute
   * measure, unlike BM25's, so a weak best match adds little. The question index
   * only proposes candidates.
   */
  private sampleQuestionMatches(terms: WeightedQuery, accept: (i: number) => boolean): Map<number, number> {
    const out = new Map<number, number>();
    const questions = this.questions;
    if (!questions) return out;
    const weight = sampleQuestionWeight(this.lexical!, questions.index);
    let asked = 0;
    // Words the knowledge base never uses (greetings, names) are neither matched nor missed.
    for (const [t, w] of terms) if (this.lexical!.df(t) + questions.index.df(t) > 0) asked += weight(t) * w;
    if (asked <= 0) return out;
    for (const h of questions.index.search(terms, CANDIDATES, (j) => accept(questions.passage[j]!))) {
      const { terms: own, own: ownWeight } = questions.weighted[h.index]!;
      let shared = 0;
      for (const [t, w] of own) shared += w * Math.min(1, terms.get(t) ?? 0);
      const match = ownWeight > 0 ? (2 * shared) / (asked + ownWeight) : 0;
      const i = questions.passage[h.index]!;
      out.set(i, Math.max(out.get(i) ?? 0, Math.min(1, match)));
    }
    return out;
  }

  /** Each passage plus a share of its article's next best candidate passages: an article that answers in several places ranks higher. */
  private withArticleEvidence(scores: Map<number, number>): Map<number, number> {
    const byPath = new Map<string, number[]>();
    for (const [i, s] of scores) {
      const path = this.meta[i]!.path;
      const list = byPath.get(path);
      if (list) list.push(s);
      else byPath.set(path, [s]);
    }
    for (const list of byPath.values()) list.sort((a, b) => b - a);
    const out = new Map<number, number>();
    for (const [i, s] of scores) {
      const list = byPath.get(this.meta[i]!.path)!;
      let extra = 0;
      let taken = 0;
      let self = false;
      for (const o of list) {
        if (!self && o === s) {
          self = true;
          continue;
        }
        if (taken++ >= ARTICLE_PASSAGES) break;
        extra += o;
      }
      out.set(i, s + ARTICLE_SHARE * extra);
    }
    return out;
  }

  /** Soft preference for passages in the question's language (and Chinese script); never a filter. */
  private preferLanguage(q: string, scores: Map<number, number>): Map<number, number> {
    const lang = queryLanguage(q);
    if (!lang) return scores;
    const preferred = chineseLocaleOf(q);
    for (const [i, s] of scores) {
      const locale = this.meta[i]!.locale;
      const zh = locale.startsWith("zh");
      if (zh !== lang.zh) scores.set(i, s * OTHER_LANGUAGE);
      else if (zh && preferred && locale !== preferred) scores.set(i, s * OTHER_SCRIPT);
    }
    return scores;
  }

  private async dense(q: string, opts: SearchOptions): Promise<Array<{ id: string; similarity: number }>> {
    const [vec] = await this.embedder.embed([q], "query");
    // A query of words the embedder does not weigh ("where you from") embeds to zero,
    // whose cosine distance is NaN: nothing is near it, rather than a NaN score.
    if (!vec!.some((v) => v !== 0)) return [];
    const params: unknown[] = [toVector(vec!)];
    const where: string[] = [];
    if (opts.locale) {
      params.push(opts.locale.includes("-") ? opts.locale : `${opts.locale}%`);
      where.push(`a.locale ${opts.locale.includes("-") ? "=" : "LIKE"} $${params.length}`);
    }
    if (opts.product) {
      params.push(opts.product);
      where.push(`a.product = $${params.length}`);
    }
    params.push(CANDIDATES);
    const langs = opts.locale ? this.languages.filter((l) => l === languageOf(opts.locale!)) : this.languages;
    if (!langs.length) return [];
    // hnsw.ef_search (above CANDIDATES) is a session setting: db/sessionSettings.ts.
    // Prepared: the text varies only with the languages and filters, a handful of variants.
    const { rows } = await this.db.query<{ id: string; similarity: number }>(statement(denseSql(langs, where, `$${params.length}`)), params);
    return rows;
  }
}

/**
 * Nearest passages to the vector in $1 by cosine similarity, `limit` of them: one
 * branch per language so that each uses its language's partial HNSW index (see
 * syncKnowledge.createVectorIndexes), merged. `where` filters on kb_articles `a`.
 */
export function denseSql(langs: string[], where: string[], limit: string): string {
  const branch = (lang: string) =>
    `(SELECT p.id, 1 - (p.embedding <=> $1::vector) AS similarity
      FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
      WHERE p.lang = '${languageOf(lang)}'${where.map((w) => ` AND ${w}`).join("")}
      ORDER BY p.embedding <=> $1::vector LIMIT ${limit})`;
  return langs.length === 1 ? branch(langs[0]!) : `SELECT * FROM (${langs.map(branch).join(" UNION ALL ")}) x ORDER BY similarity DESC LIMIT ${limit}`;
}

/**
 * Whether the tokens stored at sync time come from the current tokeniser: checked
 * on a few passages (stored = heading tokens, then body tokens).
 */
function splitTokens(s: string): string[] {
  return s ? s.split(" ") : [];
}

/**
 * A term's weight in the sample questions' match: its idf over passages and sample
 * questions together, so that words of the customers' style ("咋办", "pls"), common in
 * questions and absent from articles, weigh little.
 */
function sampleQuestionWeight(passages: LexicalIndex, questions: LexicalIndex): (term: string) => number {
  const n = passages.size + questions.size;
  return (t) => {
    const df = passages.df(t) + questions.df(t);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
}

/** Chinese or not, and which script, from the characters of the question. */
export function queryLanguage(q: string): { zh: boolean; script?: "traditional" | "simplified" } | undefined {
  let han = 0;
  let latin = 0;
  for (const c of q) {
    if (isHan(c)) han++;
    else if (/[a-zA-Z]/.test(c)) latin++;
  }
  if (!han && !latin) return undefined;
  // One Chinese character carries about as much as a short English word.
  if (han * 3 >= latin) return { zh: true, script: hanScript(q) };
  return { zh: false };
}

/** The Chinese locale a question's script asks for: zh-TW for traditional characters, zh-CN for simplified. */
function chineseLocaleOf(q: string): "zh-TW" | "zh-CN" | undefined {
  const lang = queryLanguage(q);
  return lang?.script === "traditional" ? "zh-TW" : lang?.script === "simplified" ? "zh-CN" : undefined;
}

/** Whether a passage passes the search's filters; the articles' stems are read once per search, not per passage. */
function passageFilter(opts: SearchOptions): (m: PassageMeta) => boolean {
  const articles = opts.articles && new Set(opts.articles.map(articleStem));
  return (m) => {
    if (opts.product && m.product !== opts.product) return false;
    if (articles && !articles.has(articleStem(m.path))) return false;
    if (opts.locale) return opts.locale.includes("-") ? m.locale === opts.locale : m.locale.startsWith(opts.locale);
    return true;
  };
}
