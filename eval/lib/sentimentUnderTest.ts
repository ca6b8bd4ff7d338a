import { loadConfig } from "../../server/config.ts";
import { createSentiment } from "../../server/assistant/sentiment/createSentiment.ts";
import type { SentimentAnalyzer, SentimentLabel } from "../../server/assistant/sentiment/index.ts";

/**
 * The sentiment analyzer the evaluation measures: the one the server would run with this
 * environment (SENTIMENT=lexicon by default; SENTIMENT=transformers with
 * SENTIMENT_MODEL_DIR, or SENTIMENT=llm), so that a bank measures its own model with
 * `npm run eval` as it measures the offline default.
 */
export async function sentimentUnderTest(env: NodeJS.ProcessEnv = process.env): Promise<{ analyzer: SentimentAnalyzer; name: string }> {
  const config = loadConfig({ ...env, LOG_LEVEL: "silent" });
  const analyzer = await createSentiment(config);
  const name =
    config.SENTIMENT === "transformers"
      ? `transformers model in ${config.SENTIMENT_MODEL_DIR}`
      : config.SENTIMENT === "llm"
        ? `chat model ${config.OPENAI_MODEL}`
        : "offline lexicon";
  return { analyzer, name };
}

/** Batch size when the analyzer reads many texts at once (a model): its own batching does the rest. */
const BATCH = 64;

/** Each text's label, in order: in batches when the analyzer takes many at once, else one by one. */
export async function labelAll(analyzer: SentimentAnalyzer, texts: string[]): Promise<SentimentLabel[]> {
  const out: SentimentLabel[] = [];
  if (analyzer.analyzeMany) {
    for (let i = 0; i < texts.length; i += BATCH) out.push(...(await analyzer.analyzeMany(texts.slice(i, i + BATCH))).map((r) => r.label));
  } else for (const t of texts) out.push((await analyzer.analyze(t)).label);
  return out;
}
