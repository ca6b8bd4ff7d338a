import type { AnswerGenerator, GenerateInput, GenerateResult } from "./AnswerGenerator.ts";
import { extractAnswer } from "../answering/extractAnswer.ts";
import { rankUnitsOf, type RankedPassage } from "../answering/rankPassages.ts";

/**
 * The offline default: the answer is the best passage's own units — the one that
 * answers first (a table's matching rows, a whole list of steps, the sentence with
 * the figure), then its context (answering/extractAnswer.ts). Every unit it returns
 * is verbatim from the cited passage, which the evaluation checks.
 */
/** A second section of the same article this close in rank adds its answering unit (set on the answer set's dev half). */
const CLOSE_RANK = 0.3;

export class OfflineGenerator implements AnswerGenerator {
  readonly kind = "offline" as const;

  async generate({ question, passages, language }: GenerateInput): Promise<GenerateResult> {
    const best = passages[0];
    if (!best) return { declined: true };
    const ranked: RankedPassage = "units" in best ? (best as RankedPassage) : rankUnitsOf(best, question);
    const second = passages[1];
    const runnerUp =
      second && "units" in second && second.path === best.path && ranked.rank - (second as RankedPassage).rank <= CLOSE_RANK
        ? (second as RankedPassage)
        : undefined;
    const text = extractAnswer(ranked, language, runnerUp, question).trim();
    if (!text) return { declined: true };
    return { declined: false, text, used: runnerUp ? [best, runnerUp] : [best] };
  }
}
