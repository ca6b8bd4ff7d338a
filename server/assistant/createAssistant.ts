import { chatModelConfigured } from "./generators/chatModelConfigured.ts";
import type { AppContext } from "../context.ts";
import { Assistant, steerFor } from "./Assistant.ts";
import type { ToolSelector } from "./tools/chooseTool.ts";
import { redactText } from "../privacy/redact.ts";
import { IntentClassifier } from "./intents/classifier.ts";
import { loadIntents } from "./intents/load.ts";
import { createSentiment } from "./sentiment/createSentiment.ts";
import { coreBankingFor } from "../banking/createCoreBanking.ts";
import { OfflineGenerator } from "./generators/OfflineGenerator.ts";
import type { AnswerGenerator } from "./generators/AnswerGenerator.ts";
import { enabledTools } from "../customTools/customToolStore.ts";
import { callCustomTool } from "../customTools/callCustomTool.ts";
import { BOT } from "../actor.ts";
import { openDisputeCase } from "../cases/openDisputeCase.ts";

export interface AssistantRuntime {
  assistant: Assistant;
  /** Where ranking is pointed for this message (the recognised intent's `answer:`): for evaluations. */
  steering(text: string): string[];
  retrain(): Promise<void>;
  intentCount(): number;
}

/**
 * Builds the assistant of a process from configuration: intents trained from
 * INTENTS_DIR, the sentiment analyzer of SENTIMENT (the offline lexicon by default), the core-banking adapter (the bank's
 * core over HTTP when CORE_BANKING_URL is set, else the demo bank), and
 * the LLM generator when OPENAI_BASE_URL/OPENAI_MODEL are set (offline otherwise).
 */
export async function createAssistant(ctx: AppContext): Promise<AssistantRuntime> {
  let classifier: IntentClassifier;
  let count = 0;
  let answers = new Map<string, string[]>();
  const retrain = async () => {
    const defs = await loadIntents(ctx.config.INTENTS_DIR, {
      onWarning: (msg) => ctx.logger.warn({ problem: msg }, "intent file skipped"),
    });
    classifier = IntentClassifier.train(defs);
    answers = new Map(defs.filter((d) => d.answer.length).map((d) => [d.name, d.answer]));
    count = defs.length;
  };
  await retrain();
  let generator: AnswerGenerator = new OfflineGenerator();
  let toolSelector: ToolSelector | undefined;
  if (chatModelConfigured(ctx.config)) {
    const { LlmGenerator } = await import("./generators/LlmGenerator.ts");
    const llm = await LlmGenerator.create(ctx.config, { logger: ctx.logger });
    generator = llm;
    toolSelector = llm;
  }
  const sentiment = await createSentiment(ctx.config, { logger: ctx.logger });
  const intentAnswers = (name: string) => answers.get(name) ?? [];
  const assistant = new Assistant({
    knowledge: ctx.knowledge,
    intents: () => classifier,
    intentAnswers,
    sentiment,
    banking: coreBankingFor(ctx),
    generator,
    toolSelector,
    customTools: {
      enabled: () => enabledTools(ctx),
      call: (tool, input) => callCustomTool(ctx, tool, { ...input, actor: BOT }),
    },
    disputes: { open: (request) => openDisputeCase(ctx, request) },
  });
  return {
    assistant,
    retrain,
    intentCount: () => count,
    steering: (text) => steerFor(classifier.classify(redactText(text).text), intentAnswers),
  };
}
