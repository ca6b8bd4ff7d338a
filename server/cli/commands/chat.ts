import { Command, Option } from "commander";
import path from "node:path";
import { cliContext } from "../runtime.ts";
import { mapJsonLines } from "../jsonLines.ts";
import type { AssistantReply, BotState, HistoryTurn } from "../../assistant/types.ts";

/** The JSON contract of `bankdesk chat --json` (used by evaluations). */
export function chatJson(text: string, r: AssistantReply) {
  return {
    text,
    reply: r.reply,
    language: r.language,
    sentiment: { label: r.sentiment.label, score: r.sentiment.score },
    intent: { name: r.intent.name, confidence: r.intent.confidence },
    citations: [...new Map(r.citations.map((c) => [c.path, { path: c.path, title: c.title }])).values()],
    handoff: { needed: r.handoff.needed, reason: r.handoff.reason },
    /** The buttons under the reply (after a decline: the closest sections of the guide); a line with a button's `text` taps it. */
    quickReplies: r.quickReplies.map((q) => ({ label: q.label, text: q.text })),
    /** An answer from the knowledge base, an honest "not sure", a handoff, an account tool or small talk. */
    outcome: r.handoff.needed ? "handoff" : (r.botState.lastAction ?? "answer"),
  };
}

/** Turns kept per conversation, as the server's reply job reads them (the last ten messages). */
const HISTORY_TURNS = 10;

export default function chatCommand(): Command {
  return new Command("chat")
    .description(
      'Ask the assistant as the first message of a new conversation; without a message, reads JSON lines {"text": ...} on stdin, where lines with the same "conversation" continue it in order (history and bot state carried)',
    )
    .argument("[message]", "the customer's message")
    .option("--json", "print JSON (always on for stdin mode)")
    .addOption(new Option("--knowledge <dir>", "knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)"))
    .addOption(new Option("--intents <dir>", "intents folder (default: INTENTS_DIR or <knowledge>/intents)"))
    .addOption(
      new Option(
        "--customer <id>",
        "chat as this bank customer, verified (account tools then ask the core system: CORE_BANKING_URL, or the demo bank)",
      ),
    )
    .action(async (message: string | undefined, opts: { json?: boolean; knowledge?: string; intents?: string; customer?: string }) => {
      if (opts.customer !== undefined && !/^[\w.:@-]{1,200}$/.test(opts.customer)) throw new Error("--customer: not a customer id");
      if (message !== undefined && !message.trim()) throw new Error("the message is empty");
      const env: Record<string, string> = { LOG_LEVEL: "error" };
      if (opts.intents) env.INTENTS_DIR = path.resolve(opts.intents);
      else if (opts.knowledge) env.INTENTS_DIR = path.join(path.resolve(opts.knowledge), "intents");
      // The assistant is imported here, not at the top: every `bankdesk` command loads this file.
      const [{ createAssistant }, { closeCoreBanking }] = await Promise.all([
        import("../../assistant/createAssistant.ts"),
        import("../../banking/createCoreBanking.ts"),
      ]);
      const ctx = await cliContext(env, opts.knowledge);
      try {
        await ctx.knowledge.sync();
        const { assistant } = await createAssistant(ctx);
        const conversations = new Map<string, { history: HistoryTurn[]; botState: BotState }>();
        const ask = async (text: string, line: Record<string, unknown> = {}) => {
          const id = line.conversation;
          if (id !== undefined && (typeof id !== "string" || !id.trim() || id.length > 200))
            throw new Error('"conversation" must be a non-empty string of at most 200 characters');
          const state = (id !== undefined && conversations.get(id)) || { history: [], botState: {} };
          // Whoever runs the CLI holds the server's configuration and database: they vouch for the customer.
          const r = await assistant.respond({
            text,
            verifiedCustomerId: opts.customer ?? null,
            botState: state.botState,
            history: state.history,
          });
          if (id !== undefined) {
            const history = [...state.history, { role: "customer" as const, text }, { role: "assistant" as const, text: r.reply }];
            // A handed-off conversation is the agents' now: the bot would stay silent, so it starts afresh.
            conversations.set(
              id,
              r.handoff.needed ? { history: [], botState: {} } : { history: history.slice(-HISTORY_TURNS), botState: r.botState },
            );
          }
          return { ...(id !== undefined ? { conversation: id } : {}), ...chatJson(text, r) };
        };
        if (message !== undefined) {
          const out = await ask(message);
          if (opts.json) process.stdout.write(JSON.stringify(out) + "\n");
          else {
            process.stdout.write(`${out.reply}\n`);
            for (const c of out.citations) process.stdout.write(`  source: ${c.title} (${c.path})\n`);
            if (out.quickReplies.length) process.stdout.write(`  buttons: ${out.quickReplies.map((q) => q.label).join(" | ")}\n`);
            process.stdout.write(
              `  [${out.language}; intent ${out.intent.name} ${out.intent.confidence}; sentiment ${out.sentiment.label} ${out.sentiment.score}${out.handoff.needed ? `; handoff: ${out.handoff.reason}` : ""}]\n`,
            );
          }
        } else {
          await mapJsonLines(process.stdin, process.stdout, ask);
        }
      } finally {
        await closeCoreBanking(ctx);
        await ctx.close();
      }
    });
}
