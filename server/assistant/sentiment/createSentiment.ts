import type { Config } from "../../config.ts";
import { LexiconSentiment, type SentimentAnalyzer } from "./analyzer.ts";

type SentimentConfig = Pick<
  Config,
  | "SENTIMENT"
  | "SENTIMENT_MODEL_DIR"
  | "SENTIMENT_TIMEOUT_MS"
  | "TRANSFORMERS_ALLOW_REMOTE"
  | "OPENAI_BASE_URL"
  | "OPENAI_API_KEY"
  | "OPENAI_MODEL"
>;

/**
 * The sentiment analyzer chosen by SENTIMENT (the offline lexicon by default). The
 * model backends are imported only when chosen: transformers.js and LangChain are
 * large. A model is loaded here, at start, so that a wrong folder stops the process.
 */
export async function createSentiment(
  config: SentimentConfig,
  opts: { logger?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void } } = {},
): Promise<SentimentAnalyzer> {
  const lexicon = new LexiconSentiment();
  if (config.SENTIMENT === "lexicon") return lexicon;
  const { ModelSentiment } = await import("./modelSentiment.ts");
  const withFallback = { fallback: lexicon, timeoutMs: config.SENTIMENT_TIMEOUT_MS, logger: opts.logger };
  if (config.SENTIMENT === "transformers") {
    if (!config.SENTIMENT_MODEL_DIR) throw new Error("SENTIMENT=transformers needs SENTIMENT_MODEL_DIR (a local model directory)");
    const { TransformersSentiment } = await import("./transformersSentiment.ts");
    const model = await TransformersSentiment.create({
      modelDir: config.SENTIMENT_MODEL_DIR,
      allowRemote: config.TRANSFORMERS_ALLOW_REMOTE,
    });
    return new ModelSentiment(model, withFallback);
  }
  const { LlmSentiment } = await import("./llmSentiment.ts");
  return new ModelSentiment(new LlmSentiment(config, { timeoutMs: config.SENTIMENT_TIMEOUT_MS }), withFallback);
}
