import { Command, Option } from "commander";
import path from "node:path";
import { cliContext } from "../runtime.ts";
import { mapJsonLines } from "../jsonLines.ts";
import { createAssistant } from "../../assistant/createAssistant.ts";
import type { AssistantReply } from "../../assistant/types.ts";

/** The JSON contract of `bankdesk chat --json` (used by evaluations). */
export function chatJson(text: string, r: AssistantReply) {
  return {
    text,
    reply: r.reply,
    language: r.language,
    sentiment: { label: r.sentiment.label, score: r.sentiment.score },
    intent: { name: r.intent.name, confidence: r.intent.confidence },
    citations: r.citations.map((c) => ({ path: c.path, title: c.title })),
    handoff: { needed: r.handoff.needed, reason: r.handoff.reason },
  };
}

export default function chatCommand(): Command {
  return new Command("chat")
    .description('Ask the assistant as the first message of a new conversation; without a message, reads JSON lines {"text": ...} on stdin')
    .argument("[message]", "the customer's message")
    .option("--json", "print JSON (always on for stdin mode)")
    .addOption(new Option("--knowledge <dir>", "knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)"))
    .addOption(new Option("--intents <dir>", "intents folder (default: INTENTS_DIR or <knowledge>/intents)"))
    .action(async (message: string | undefined, opts: { json?: boolean; knowledge?: string; intents?: string }) => {
      if (message !== undefined && !message.trim()) throw new Error("the message is empty");
      const env: Record<string, string> = { LOG_LEVEL: "error" };
      if (opts.intents) env.INTENTS_DIR = path.resolve(opts.intents);
      else if (opts.knowledge) env.INTENTS_DIR = path.join(path.resolve(opts.knowledge), "intents");
      const ctx = await cliContext(env, opts.knowledge);
      try {
        await ctx.knowledge.sync();
        const { assistant } = await createAssistant(ctx);
        const ask = async (text: string) =>
          chatJson(text, await assistant.respond({ text, verifiedCustomerId: null, botState: {}, history: [] }));
        if (message !== undefined) {
          const out = await ask(message);
          if (opts.json) process.stdout.write(JSON.stringify(out) + "\n");
          else {
            process.stdout.write(`${out.reply}\n`);
            for (const c of out.citations) process.stdout.write(`  source: ${c.title} (${c.path})\n`);
            process.stdout.write(
              `  [${out.language}; intent ${out.intent.name} ${out.intent.confidence}; sentiment ${out.sentiment.label} ${out.sentiment.score}${out.handoff.needed ? `; handoff: ${out.handoff.reason}` : ""}]\n`,
            );
          }
        } else {
          await mapJsonLines(process.stdin, process.stdout, ask);
        }
      } finally {
        await ctx.close();
      }
    });
}
