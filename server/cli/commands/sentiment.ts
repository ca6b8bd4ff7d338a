import { Command } from "commander";
import { mapJsonLines } from "../jsonLines.ts";

/**
 * `bankdesk sentiment`: JSON lines in ({"text": ...}), {"text","label","score"} out,
 * one line per input line, in order; bad lines produce {"text": null, "error"}.
 */
export default function sentimentCommand(): Command {
  return new Command("sentiment")
    .description('Score the sentiment of JSON lines {"text": ...} from stdin; prints {"text","label","score"} per line')
    .action(async () => {
      const { LexiconSentiment } = await import("../../assistant/sentiment/analyzer.ts");
      const analyzer = new LexiconSentiment();
      await mapJsonLines(process.stdin, process.stdout, (text) => {
        const r = analyzer.analyze(text);
        return { text, label: r.label, score: r.score };
      });
    });
}
