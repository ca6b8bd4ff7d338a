import type { AnswerGenerator, GenerateInput, GenerateResult } from "./AnswerGenerator.ts";
import { extractAnswer } from "../answering/extractAnswer.ts";
import { rankUnitsOf, type RankedPassage } from "../answering/rankPassages.ts";

/**
 * The offline default: the answer is the best passage's own units — the one that
 * answers first (a table's matching rows, a whole list of steps, the sentence with
 * the figure), then its context (answering/extractAnswer.ts). Every unit it returns
 * is verbatim from the cited passage, which the evaluation checks.
 */
export class OfflineGenerator implements AnswerGenerator {
  readonly kind = "offline" as const;

  async generate({ question, passages, language }: GenerateInput): Promise<GenerateResult> {
    const best = passages[0];
    if (!best) return { declined: true };
    const ranked: RankedPassage = "units" in best ? (best as RankedPassage) : rankUnitsOf(best, question);
    const text = extractAnswer(ranked, language).trim();
    if (!text) return { declined: true };
    return { declined: false, text, used: [best] };
  }
}
