import { Command } from "commander";
import { mapJsonLines } from "../jsonLines.ts";

/**
 * Texts a model reads in one call. Larger batches pad more (every text to the batch's
 * longest) and hold more lines back before printing; 32 is transformers.js' usual
 * batch for short texts — not measured here on a real model.
 */
const MODEL_BATCH = 32;

/**
 * `bankdesk sentiment`: JSON lines in ({"text": ...}), {"text","label","score"} out,
 * one line per input line, in order; bad lines produce {"text": null, "error"}. Lines
 * with a "conversation" are that conversation's customer messages in order, and also
 * get its "trend" and "slope" so far, as the assistant reads them (rising anger is
 * "worsening"). The analyzer is the one SENTIMENT configures; a model reads the lines
 * in batches.
 */
export default function sentimentCommand(): Command {
  return new Command("sentiment")
    .description(
      'Score the sentiment of JSON lines {"text": ..., "conversation"?: ...} from stdin; prints {"text","label","score"} per line, and the conversation\'s "trend" so far when it is given',
    )
    .action(async () => {
      const [{ loadConfig }, { createLogger }, { createSentiment }, { conversationTrend, TREND_TURNS }] = await Promise.all([
        import("../../config.ts"),
        import("../../logger.ts"),
        import("../../assistant/sentiment/createSentiment.ts"),
        import("../../assistant/sentiment/trend.ts"),
      ]);
      const config = loadConfig(process.env);
      const logger = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr as never, config.LOG_FORMAT);
      const analyzer = await createSentiment(config, { logger });
      const recent = new Map<string, number[]>();
      const present = (text: string, line: Record<string, unknown>, r: { label: string; score: number }) => {
        const conversation = line.conversation;
        if (typeof conversation !== "string") return { text, label: r.label, score: r.score };
        const scores = [...(recent.get(conversation) ?? []), r.score].slice(-TREND_TURNS);
        recent.set(conversation, scores);
        const { trend, slope } = conversationTrend(scores);
        return { text, conversation, label: r.label, score: r.score, trend, slope };
      };
      const many = analyzer.analyzeMany?.bind(analyzer);
      await mapJsonLines(
        process.stdin,
        process.stdout,
        async (text, line) => present(text, line, await analyzer.analyze(text)),
        many && {
          batchSize: MODEL_BATCH,
          batch: async (items) => {
            const results = await many(items.map((i) => i.text));
            return items.map((i, k) => present(i.text, i.line, results[k]!));
          },
        },
      );
    });
}
