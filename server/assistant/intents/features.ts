/**
 * Text normalisation and sparse features for the intent classifier.
 *
 * Two blocks of features are combined (vectorizer.ts weights them):
 *  - words: light-stemmed English unigrams and bigrams; Chinese character bigrams
 *    and trigrams (good stand-ins for words, so no segmenter is needed); and
 *    bilingual banking concepts (concepts.ts), which let English and Chinese
 *    examples teach each other;
 *  - characters: English character 2–4-grams inside word boundaries and Chinese
 *    single characters. These make the model tolerant of typos ("tranfser"),
 *    inflections and unseen compounds.
 *
 * Normalisation folds the surface variation that carries no meaning for intent:
 * case, full-width forms, traditional characters, contractions, common chat
 * abbreviations and a few Chinese colloquialisms. Misspelt English words can also
 * be corrected against the training vocabulary (spelling.ts).
 */
import { toHalfWidth } from "../language.ts";
import { foldHan } from "../../knowledge/hanFold.ts";
import { CONCEPTS } from "./concepts.ts";
import type { SpellCorrector } from "./spelling.ts";

const HAN_TEST = /\p{Script=Han}/u;

/** Feature name prefixes; the first character decides the block. */
export const WORD_BLOCK = 0;
export const CHAR_BLOCK = 1;

const EN_CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bwon['’]t\b/g, "will not"],
  [/\bcan['’]t\b/g, "can not"],
  [/\bcannot\b/g, "can not"],
  [/\bain['’]t\b/g, "is not"],
  [/n['’]t\b/g, " not"],
  [/['’]m\b/g, " am"],
  [/['’]re\b/g, " are"],
  [/['’]ve\b/g, " have"],
  [/['’]ll\b/g, " will"],
  [/['’]d\b/g, " would"],
  [/\b(it|that|what|there|here|he|she|who|where|how|this)['’]s\b/g, "$1 is"],
  [/['’]s\b/g, ""], // possessive
];

/** Chat abbreviations and spelling variants → canonical words (whole words only). */
// prettier-ignore
const EN_SYNONYMS: Record<string, string> = {
  acct: "account", acc: "account", accnt: "account", a_c: "account",
  xfer: "transfer", trf: "transfer", tfr: "transfer", trans: "transfer",
  txn: "transaction", txns: "transactions", trx: "transaction", tx: "transaction",
  bal: "balance", pls: "please", plz: "please", thx: "thanks", thnx: "thanks", thanx: "thanks", ty: "thanks",
  u: "you", ur: "your", r: "are", y: "why", cc: "credit card", pw: "password", pwd: "password", passwd: "password",
  info: "information", amt: "amount", stmt: "statement", msg: "message", "e-mail": "email",
  wanna: "want to", gonna: "going to", gotta: "got to", dunno: "do not know", cos: "because", cuz: "because",
  coz: "because", mins: "minutes", hrs: "hours", abt: "about", bc: "because", b4: "before", asap: "urgent",
  cancelled: "canceled", cancelling: "canceling", colour: "color", authorised: "authorized",
  unauthorised: "unauthorized", recognise: "recognize", recognised: "recognized", cheque: "check", cheques: "checks", centre: "center", favourite: "favorite",
  instalment: "installment", instalments: "installments", enrol: "enroll", licence: "license",
  signin: "login", logon: "login", "log-in": "login", "sign-in": "login", hiya: "hi", hey: "hi", heya: "hi",
  hello: "hi", helloo: "hi", hellooo: "hi", helloooo: "hi",
};
const EN_PHRASE_SYNONYMS: Array<[RegExp, string]> = [
  [/\blog (in|on)(to)?\b/g, "login"],
  [/\bsign (in|on)(to)?\b/g, "login"],
  [/\bcredit cards?\b/g, "creditcard"],
  [/\bdebit cards?\b/g, "debitcard"],
  [/\ba\/c\b/g, "account"],
];

/** Chinese colloquialisms and common typos → standard forms. */
// prettier-ignore
const ZH_SYNONYMS: Array<[string, string]> = [
  ["木有", "没有"], ["神马", "什么"], ["肿么", "怎么"], ["咋", "怎么"], ["啥", "什么"], ["帐", "账"],
  ["登陆", "登录"], ["网银", "网上银行"], ["卡片", "卡"], ["嘛", "吗"],
];

/**
 * Canonical form of a message for matching: NFKC/half-width, lower case,
 * simplified Chinese, expanded contractions and abbreviations.
 */
export function normalizeText(text: string): string {
  let s = foldHan(toHalfWidth(text)).toLowerCase();
  for (const [re, rep] of EN_CONTRACTIONS) s = s.replace(re, rep);
  for (const [re, rep] of EN_PHRASE_SYNONYMS) s = s.replace(re, rep);
  if (HAN_TEST.test(s)) for (const [from, to] of ZH_SYNONYMS) if (s.includes(from)) s = s.split(from).join(to);
  s = s.replace(/[a-z0-9][a-z0-9_-]*/g, (w) => EN_SYNONYMS[w] ?? w);
  // Elongated letters ("hellooo", "pleeease") keep at most two repeats.
  s = s.replace(/([a-z])\1{2,}/g, "$1$1");
  return s.replace(/\s+/g, " ").trim();
}

/** A deliberately light English stemmer: enough to join decline/declined/declining. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith("ies") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (/(ch|sh|x|zz)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith("ing") && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith("ed") && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s !== w && /([^aeioulsz])\1$/.test(s)) s = s.slice(0, -1); // transferr → transfer
  if (s.length > 4 && s.endsWith("e")) s = s.slice(0, -1); // decline → declin
  if (s.length > 4 && s.endsWith("y")) s = s.slice(0, -1) + "i"; // apply/applies → appli
  return s;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z0-9]+(?:[-_][a-z0-9]+)*/g;

export type FeatureCounts = Map<string, number>;

function add(m: FeatureCounts, key: string, by = 1): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

/** English concept terms as stem sequences, indexed by their first stem. */
const EN_CONCEPT_INDEX = new Map<string, Array<{ stems: string[]; concept: string }>>();
/** Chinese concept terms → concepts (a term may belong to several). */
const ZH_CONCEPT_TERMS = new Map<string, string[]>();
let ZH_CONCEPT_MAX = 1;
for (const [concept, terms] of Object.entries(CONCEPTS)) {
  for (const t of terms.en ?? []) {
    const stems = (normalizeText(t).match(LATIN_WORD) ?? []).map(stem);
    if (stems.length === 0) continue;
    const list = EN_CONCEPT_INDEX.get(stems[0]!) ?? [];
    list.push({ stems, concept });
    EN_CONCEPT_INDEX.set(stems[0]!, list);
  }
  for (const t of terms.zh ?? []) {
    if (!/\p{Script=Han}/u.test(t)) continue; // Latin terms are matched as English
    const list = ZH_CONCEPT_TERMS.get(t) ?? [];
    if (!list.includes(concept)) list.push(concept);
    ZH_CONCEPT_TERMS.set(t, list);
    ZH_CONCEPT_MAX = Math.max(ZH_CONCEPT_MAX, [...t].length);
  }
}
for (const list of EN_CONCEPT_INDEX.values()) list.sort((a, b) => b.stems.length - a.stems.length);

/** Concepts mentioned in the message (see concepts.ts), with repeats. */
export function matchConcepts(normalized: string, stems = (normalized.match(LATIN_WORD) ?? []).map(stem)): string[] {
  const out: string[] = [];
  for (let i = 0; i < stems.length; i++) {
    const seen = new Set<string>();
    for (const { stems: ts, concept } of EN_CONCEPT_INDEX.get(stems[i]!) ?? []) {
      if (seen.has(concept) || i + ts.length > stems.length) continue;
      if (ts.every((t, j) => stems[i + j] === t)) {
        out.push(concept);
        seen.add(concept);
      }
    }
  }
  // Han characters of concept terms are all in the BMP, so UTF-16 slicing is safe.
  for (const run of normalized.match(HAN_RUN) ?? []) {
    for (let i = 0; i < run.length;) {
      let n = Math.min(ZH_CONCEPT_MAX, run.length - i);
      for (; n >= 1; n--) {
        const concepts = ZH_CONCEPT_TERMS.get(run.slice(i, i + n));
        if (concepts) {
          out.push(...concepts);
          break;
        }
      }
      i += Math.max(n, 1);
    }
  }
  return out;
}

/** English words of a normalised message; digit runs become "#". */
export function latinWords(normalized: string): string[] {
  return (normalized.match(LATIN_WORD) ?? []).map((w) => (/^\d+$/.test(w) ? "#" : w));
}

/**
 * Sparse feature counts of an already normalised message. Word block: "w" word
 * unigram, "b" word bigram, "y" Han bigram, "k" Han trigram, "@" concept.
 * Character block: "c" English char n-gram, "z" Han unigram.
 *
 * With a spelling corrector, misspelt words contribute word and concept features
 * under their corrected spelling and character n-grams under the original.
 */
export function extractFeatures(normalized: string, speller?: SpellCorrector): FeatureCounts {
  const f: FeatureCounts = new Map();

  const words = latinWords(normalized);
  const stems = words.map((w) => stem((speller && speller.correct(w)) ?? w));
  for (let i = 0; i < stems.length; i++) {
    add(f, "w" + stems[i]);
    if (i > 0) add(f, "b" + stems[i - 1] + "_" + stems[i]);
  }
  for (const w of words) {
    if (w === "#") continue;
    const padded = ` ${w} `;
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(f, "c" + padded.slice(i, i + n));
    }
  }

  for (const run of normalized.match(HAN_RUN) ?? []) {
    const cs = [...run];
    for (let i = 0; i < cs.length; i++) {
      add(f, "z" + cs[i]);
      if (i + 1 < cs.length) add(f, "y" + cs[i] + cs[i + 1]);
      if (i + 2 < cs.length) add(f, "k" + cs[i] + cs[i + 1] + cs[i + 2]);
    }
  }

  for (const c of matchConcepts(normalized, stems)) add(f, "@" + c);
  return f;
}

export function featureBlock(key: string): typeof WORD_BLOCK | typeof CHAR_BLOCK {
  const p = key.charCodeAt(0);
  return p === 99 /* c */ || p === 122 /* z */ ? CHAR_BLOCK : WORD_BLOCK;
}
