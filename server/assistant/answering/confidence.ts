import type { Language } from "../language.ts";
import { askedKinds, kindMatch } from "./answerType.ts";
import type { RankedPassage } from "./rankPassages.ts";

/**
 * What says that the best passage's answer is the right one, read off the ranked
 * candidates. Each is general (no article or wording of ours in it).
 */
export interface ConfidenceFeatures {
  /** How far the best passage leads the next one (rank difference). */
  margin: number;
  /** ...and the best passage of another article. */
  marginOtherArticle: number;
  /** How closely its section's sample questions say what the customer said. */
  question: number;
  /** ...ahead of the closest sample question of any other section among the candidates. */
  questionLead: number;
  /** The runner-up is another part of the same article (a small margin then matters less). */
  runnerUpSameArticle: number;
  /** Share of the question's terms in its best unit, and that times the kind of answer asked. */
  unit: number;
  unitKind: number;
  /** Whether the unit the answer leads with carries the kind of answer asked (0.5 when nothing in particular is asked). */
  leadKind: number;
  /** Share of the question's terms anywhere in its article (says "nothing here answers this"). */
  article: number;
  /** The rarest term the article lacks, against the rarest asked (a "bond" in a knowledge base of deposits). */
  absent: number;
  /** The hybrid search agrees (1) that this passage is the best. */
  agree: number;
  /** Share of the products the question names that the passage names too (1 if none). */
  product: number;
  /** A recognised intent points at this passage's section or article. */
  steered: number;
  /** A follow-up, read with the earlier turns. */
  followUp: number;
  zh: number;
}

export function confidenceFeatures(
  ranked: RankedPassage[],
  question: string,
  language: Language,
  followUp: boolean,
): ConfidenceFeatures | undefined {
  const top = ranked[0];
  if (!top) return undefined;
  const asked = askedKinds(question);
  const lead = top.units[top.best];
  const searchTop = ranked.reduce((a, b) => (b.score > a.score ? b : a));
  return {
    margin: top.rank - (ranked[1]?.rank ?? 0),
    marginOtherArticle: top.rank - (ranked.find((c) => c.path !== top.path)?.rank ?? 0),
    question: top.features.question,
    questionLead:
      top.features.question -
      Math.max(
        0,
        ...ranked
          .slice(1)
          .filter((c) => c.heading !== top.heading)
          .map((c) => c.features.question),
      ),
    runnerUpSameArticle: ranked[1]?.path === top.path ? 1 : 0,
    unit: top.features.unit,
    unitKind: top.features.unitKind,
    leadKind: asked.size && lead ? kindMatch(asked, lead.text) : 0.5,
    article: top.features.article,
    absent: top.features.absent,
    agree: searchTop.passageId === top.passageId ? 1 : 0,
    product: top.features.product,
    steered: top.features.steered,
    followUp: followUp ? 1 : 0,
    zh: language === "zh" ? 1 : 0,
  };
}

/**
 * Logistic regression of "the reply holds the answer's facts" on the features,
 * fitted on the development halves of both blind answer sets (a and b), must-decline
 * questions counting as wrong (`node --import tsx eval/tuneConfidence.ts --sets a,b`,
 * which prints these and the holdout figures). The strongest signals, standardised:
 * the sample questions' match (0.99), the article's coverage of the question (0.63)
 * with its rarest missing term (0.53, below), the best unit carrying the kind of answer
 * asked (0.50), the lead over the next passage (0.48) and the passage naming the
 * product asked about (0.47). Five-fold cross-validated cost on the two dev halves
 * (a wrong answer counts three declines): 169 without `absent`, 161 with it.
 */
export type Coefficients = ConfidenceFeatures & { intercept: number };

export const COEFFICIENTS: Coefficients = {
  intercept: -9.833,
  margin: 2.056,
  marginOtherArticle: 0.279,
  question: 5.291,
  questionLead: 0.042,
  runnerUpSameArticle: -0.09,
  // Negative beside unitKind, its product with the kind of answer: covering the
  // question's words without the kind of answer asked is a sign of the wrong unit.
  unit: -1.538,
  unitKind: 2.109,
  leadKind: 0.124,
  article: 2.593,
  // Positive beside `article`: for the same coverage, one rare word missing (a
  // customer's "bust", "hotline") is less of a sign than many common ones.
  absent: 1.798,
  agree: -0.001,
  product: 4.426,
  steered: 0.529,
  followUp: 1.016,
  zh: 0.246,
};

/**
 * The same, fitted with the sample questions taken out of the knowledge base: for
 * sections that list none (a bank's own articles before its content team writes
 * them). Cross-validated cost 214 without `absent`, 204 with it.
 */
export const COEFFICIENTS_WITHOUT_QUESTIONS: Coefficients = {
  intercept: -10.905,
  margin: 1.687,
  marginOtherArticle: 0.687,
  question: 0,
  questionLead: 0,
  runnerUpSameArticle: -0.202,
  unit: -0.172,
  unitKind: 2.746,
  leadKind: 0.22,
  article: 4.275,
  absent: 2.721,
  agree: -0.012,
  product: 4.319,
  steered: 0.42,
  followUp: 0.215,
  // Chinese questions share more of an article's characters and bigrams by chance
  // (coverage means less); with that, the same evidence is more often right.
  zh: 1.558,
};

/**
 * Answers below this probability are declined, by language: chosen on the two
 * development halves (eval/tuneConfidence.ts --sets a,b), where a wrong answer or an
 * answered must-decline question counts three declines. Least cost: English 0.7 both
 * ways; Chinese 0.6 with sample questions (0.5, 0.6 and 0.7 cost 60, 60 and 56 fitted
 * on all of dev; five-fold cross-validation put it at 0.6) and 0.7 without.
 */
export const MIN_CONFIDENCE: Record<"withQuestions" | "withoutQuestions", Record<Language, number>> = {
  withQuestions: { en: 0.7, zh: 0.6 },
  withoutQuestions: { en: 0.7, zh: 0.7 },
};

/** The probability that the answer from the best passage is right. */
export function answerConfidence(features: ConfidenceFeatures, coefficients: Coefficients): number {
  let z = coefficients.intercept;
  for (const k of Object.keys(features) as Array<keyof ConfidenceFeatures>) z += coefficients[k] * features[k];
  return 1 / (1 + Math.exp(-z));
}

/**
 * Whether to answer from the best of the ranked passages, and how confident that
 * is (the model and threshold for its section: with sample questions or without).
 */
export function answerDecision(
  ranked: RankedPassage[],
  question: string,
  language: Language,
  followUp: boolean,
): { confidence: number; answer: boolean } {
  const features = confidenceFeatures(ranked, question, language, followUp);
  if (!features) return { confidence: 0, answer: false };
  const bare = ranked[0]!.sampleQuestion === null;
  const confidence = answerConfidence(features, bare ? COEFFICIENTS_WITHOUT_QUESTIONS : COEFFICIENTS);
  return { confidence, answer: confidence >= MIN_CONFIDENCE[bare ? "withoutQuestions" : "withQuestions"][language] };
}
