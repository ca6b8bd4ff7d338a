import type { Config } from "../../config.ts";
import type { AnswerGenerator, GenerateInput, GenerateResult } from "./AnswerGenerator.ts";

/** Placeholder replaced by the LLM generator work (see assistant issue); not selected unless OPENAI_MODEL is set. */
export class LlmGenerator implements AnswerGenerator {
  readonly kind = "llm" as const;
  static async create(_config: Config): Promise<LlmGenerator> {
    throw new Error("The LLM generator is not available yet; unset OPENAI_MODEL to use the offline assistant");
  }
  async generate(_input: GenerateInput): Promise<GenerateResult> {
    return { declined: true };
  }
}
