import type { Language } from "../language.ts";
import type { SearchHit } from "../../knowledge/KnowledgeSearch.ts";
import type { HistoryTurn } from "../types.ts";

export interface GenerateInput {
  /** The customer's question, already redacted. */
  question: string;
  language: Language;
  /** Retrieved passages, best first; the answer may use nothing else. */
  passages: SearchHit[];
  history: HistoryTurn[];
  onToken?: (delta: string) => void;
}

export type GenerateResult =
  | { declined: false; text: string; used: SearchHit[] }
  /** The passages do not answer the question: say so rather than guess. */
  | { declined: true };

/**
 * Writes the answer to a product question from retrieved passages only. The
 * offline generator extracts sentences; the LLM generator (any OpenAI-compatible
 * model through LangChain) writes from the same passages with citations.
 */
export interface AnswerGenerator {
  readonly kind: "offline" | "llm";
  generate(input: GenerateInput): Promise<GenerateResult>;
}
