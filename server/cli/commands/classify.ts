import { Command } from "commander";
import { mapJsonLines } from "../jsonLines.ts";

/**
 * `bankdesk classify`: JSON lines in ({"text": ...}), one JSON line out per input
 * line, in order. Meant for batch jobs and for checking the intent model against
 * exported conversations, so it streams: thousands of lines take seconds and
 * memory stays flat. Heavy modules are imported inside the action so that
 * `bankdesk --help` stays fast.
 */

export default function classifyCommand(): Command {
  return new Command("classify")
    .description('Classify JSON lines {"text": ...} from stdin into intents; prints {"text","intent","confidence"} per line')
    .option("--intents <dir>", "intent definitions directory (default: $INTENTS_DIR or ./knowledge/intents)")
    .action(async (opts: { intents?: string }) => {
      const [{ loadIntents }, { IntentClassifier }] = await Promise.all([
        import("../../assistant/intents/load.ts"),
        import("../../assistant/intents/classifier.ts"),
      ]);
      const dir = opts.intents ?? process.env.INTENTS_DIR ?? "./knowledge/intents";
      const intents = await loadIntents(dir, { onWarning: (m) => process.stderr.write(`bankdesk classify: skipped ${m}\n`) }).catch(
        (err: unknown) => {
          throw new Error(`cannot read intent definitions from ${dir}: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
      if (intents.length === 0) throw new Error(`no valid intent definitions in ${dir}`);
      const clf = IntentClassifier.train(intents);
      await mapJsonLines(process.stdin, process.stdout, (text) => {
        const r = clf.classify(text);
        return { text, intent: r.name, confidence: r.confidence };
      });
    });
}
