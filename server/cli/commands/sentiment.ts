import { Command } from "commander";
import { mapJsonLines } from "../jsonLines.ts";

/**
 * `bankdesk sentiment`: JSON lines in ({"text": ...}), {"text","label","score"} out,
 * one line per input line, in order; bad lines produce {"text": null, "error"}. Lines
 * with a "conversation" are that conversation's customer messages in order, and also
 * get its "trend" and "slope" so far, as the assistant reads them (rising anger is
 * "worsening").
 */
export default function sentimentCommand(): Command {
  return new Command("sentiment")
    .description(
      'Score the sentiment of JSON lines {"text": ..., "conversation"?: ...} from stdin; prints {"text","label","score"} per line, and the conversation\'s "trend" so far when it is given',
    )
    .action(async () => {
      const { LexiconSentiment } = await import("../../assistant/sentiment/analyzer.ts");
      const { conversationTrend, TREND_TURNS } = await import("../../assistant/sentiment/trend.ts");
      const analyzer = new LexiconSentiment();
      const recent = new Map<string, number[]>();
      await mapJsonLines(process.stdin, process.stdout, (text, line) => {
        const r = analyzer.analyze(text);
        const conversation = line.conversation;
        if (typeof conversation !== "string") return { text, label: r.label, score: r.score };
        const scores = [...(recent.get(conversation) ?? []), r.score].slice(-TREND_TURNS);
        recent.set(conversation, scores);
        const { trend, slope } = conversationTrend(scores);
        return { text, conversation, label: r.label, score: r.score, trend, slope };
      });
    });
}
