import fs from "node:fs";
import path from "node:path";
import type { ChatOpenAI } from "@langchain/openai";
import { chatModel } from "../generators/chatModel.ts";
import { chatModelConfigured } from "../generators/chatModelConfigured.ts";
import { HumanMessage } from "@langchain/core/messages";
import type { AppContext } from "../../context.ts";
import type { ConversationRow, MessageRow } from "../../models/conversations.ts";
import type { AnswerGenerator } from "../generators/AnswerGenerator.ts";
import { OfflineGenerator } from "../generators/OfflineGenerator.ts";
import { LlmGenerator, promptWindows, guardReply } from "../generators/LlmGenerator.ts";
import { detectLanguage } from "../language.ts";
import { answerDecision } from "../answering/confidence.ts";
import { rankPassages, type RankedPassage } from "../answering/rankPassages.ts";
import { resolveArticleLinks } from "../answering/articleLinks.ts";
import { markdownToPlainText } from "./plainText.ts";
import { redactText } from "../../privacy/redact.ts";
import { assistantFor } from "../assistantModule.ts";
import type { Citation, HistoryTurn } from "../types.ts";
import { improveToneOffline } from "./improveTone.ts";
import { summarizeOffline, transcript } from "./summarizeConversation.ts";
import type { AssistGenerator, AssistSummary, ImprovedTone, SuggestedReply } from "../../../shared/wire/index.ts";

/** How many of the customer's latest messages a suggestion answers. */
const LAST_CUSTOMER_MESSAGES = 3;
const LLM_TIMEOUT_MS = 30_000;

/**
 * AI assistance for agents, through the assistant's generators: the offline ones
 * by default, the configured model (OPENAI_MODEL) otherwise. Suggestions are
 * drafts: they go into the agent's composer and are never sent from here.
 */
export class AgentAssist {
  private constructor(
    private readonly ctx: AppContext,
    private readonly generator: AnswerGenerator,
    private readonly chat: ChatOpenAI | undefined,
    private readonly prompts: { summary: string; tone: string } | undefined,
  ) {}

  static async create(ctx: AppContext): Promise<AgentAssist> {
    const { config } = ctx;
    if (!chatModelConfigured(config)) {
      return new AgentAssist(ctx, new OfflineGenerator(), undefined, undefined);
    }
    const generator = await LlmGenerator.create(config, { logger: ctx.logger });
    const read = (file: string, placeholder: string) => {
      const full = path.join(config.PROMPTS_DIR, file);
      let text: string;
      try {
        text = fs.readFileSync(full, "utf8").trim();
      } catch {
        throw new Error(`LLM prompt file ${full} is missing: restore it or point PROMPTS_DIR at a folder that has it`);
      }
      if (!text.includes(placeholder)) throw new Error(`${full} must contain the placeholder ${placeholder}`);
      return text;
    };
    const prompts = { summary: read("agent-summary.md", "{{transcript}}"), tone: read("agent-tone.md", "{{draft}}") };
    const chat = chatModel(config, { temperature: 0.2, timeoutMs: LLM_TIMEOUT_MS, maxRetries: 1 });
    return new AgentAssist(ctx, generator, chat, prompts);
  }

  get kind(): AssistGenerator {
    return this.generator.kind;
  }

  /**
   * Drafts a reply to the customer's latest messages from the knowledge base, with
   * the articles it used as citations (listed under the draft, as links). Declines
   * (empty draft) when nothing in the knowledge base answers.
   */
  async suggestReply(conversation: ConversationRow, messages: MessageRow[]): Promise<SuggestedReply> {
    const visible = messages.filter((m) => !m.private && m.message_type !== "activity" && m.content.trim());
    // The customer's messages since the last answer (from an agent or the bot), the last few.
    const lastAnswer = visible.findLastIndex((m) => m.message_type === "outgoing");
    let asks = visible.slice(lastAnswer + 1).filter((m) => m.message_type === "incoming");
    if (!asks.length) asks = visible.filter((m) => m.message_type === "incoming").slice(-1);
    const latest = asks.slice(-LAST_CUSTOMER_MESSAGES).map((m) => redactText(m.content).text);
    const empty = { text: "", citations: [], declined: true, query: latest.join("\n"), generator: this.kind };
    // What to search for: all of the latest messages together, then each message and
    // each sentence on its own (latest first), until one is covered by an article as
    // well as the assistant's own answers need to be.
    const candidates = [
      latest.join("\n"),
      ...[...latest].reverse(),
      ...[...latest].reverse().flatMap((t) => t.split(/(?<=[.?!。？！])\s*|\n+/).filter((x) => x.trim().length > 3)),
    ].filter((q, i, all) => q.trim() && all.indexOf(q) === i);
    // The same ranking and evidence test as the assistant's own answers, steered as they
    // are by the intent the message reads as (its `answer:` sections).
    const { steering } = await assistantFor(this.ctx);
    let query = "";
    let passages: RankedPassage[] = [];
    for (const q of candidates.slice(0, 8)) {
      const ranked = await rankPassages(this.ctx.knowledge, q, { steer: steering(q) });
      if (answerDecision(ranked, q, detectLanguage(q), false).answer) {
        query = q;
        passages = ranked.slice(0, 3);
        break;
      }
    }
    if (!passages.length) return empty;
    const language = detectLanguage(query);
    const history: HistoryTurn[] = visible.slice(-8).map((m) => ({
      role: m.message_type === "incoming" ? "customer" : m.sender_type === "bot" ? "assistant" : "agent",
      text: m.content,
    }));
    const result = await this.generator.generate({ question: query, language, passages, history });
    if (result.declined) return empty;
    const base = this.ctx.config.PUBLIC_URL?.replace(/\/$/, "") ?? "";
    const url = (articlePath: string) => `${base}/kb/${articlePath.replace(/\.md$/, "")}`;
    const citations: Citation[] = result.used.map((h) => ({ path: h.path, title: h.title, heading: h.heading, url: url(h.path) }));
    // Clean prose for the agent's reply box (the passage's Markdown read as plain text, a link
    // to another article as its public page); the sources go beside it (citations), not into it.
    const text = markdownToPlainText(resolveArticleLinks(result.text, result.used[0]?.path ?? "", url), language);
    return { text, citations, declined: false, query, generator: this.kind };
  }

  /** A summary of the conversation for the agent (private notes included, all redacted). */
  async summarize(
    conversation: ConversationRow,
    messages: MessageRow[],
    contact: { name: string | null; verified: boolean },
  ): Promise<AssistSummary> {
    if (this.chat && this.prompts) {
      const prompt = this.prompts.summary.replace(/\{\{transcript\}\}/g, () => fence(transcript(messages)));
      const text = await this.complete(prompt, [this.prompts.summary]);
      if (text) return { summary: text, generator: "llm" };
    }
    return {
      summary: summarizeOffline({
        contactName: contact.name,
        verified: contact.verified,
        status: conversation.status,
        handoffReason: conversation.handoff_reason,
        sentimentLabel: conversation.sentiment_label,
        messages,
      }),
      generator: "offline",
    };
  }

  /** A politer, clearer version of the agent's draft; the facts stay as they are. */
  async improveTone(draft: string, customerName: string | null): Promise<ImprovedTone> {
    const language = detectLanguage(draft);
    if (this.chat && this.prompts) {
      const values: Record<string, string> = {
        draft: fence(draft),
        language: language === "zh" ? "Chinese (the script the draft uses)" : "English",
      };
      const prompt = this.prompts.tone.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
      const text = await this.complete(prompt, [this.prompts.tone]);
      if (text) return { text, changes: ["Rewritten by the language model: check it before sending"], generator: "llm" };
    }
    return { ...improveToneOffline(draft, { customerName, language }), generator: "offline" };
  }

  /** One completion; null when the model returns nothing usable (then the offline path answers). */
  private async complete(prompt: string, secrets: string[]): Promise<string | null> {
    const reply = await this.chat!.invoke([new HumanMessage(prompt)]);
    const text = (typeof reply.content === "string" ? reply.content : reply.content.map((p) => ("text" in p ? p.text : "")).join(""))
      .trim()
      .replace(/^["“]|["”]$/g, "");
    if (!text) return null;
    // A reply quoting the instructions is refused (the same leak guard as the customer-facing answers).
    const instructions = secrets.map((s) => s.replace(/<(conversation|draft)>[\s\S]*<\/\1>/g, ""));
    if (guardReply(text, promptWindows(...instructions)) === "prompt_leak") {
      this.ctx.logger.warn({}, "agent assist reply quoted its instructions; using the offline result");
      return null;
    }
    return text;
  }
}

/** Keeps inserted text from closing the template's sections. */
function fence(s: string): string {
  return s.replace(/<\s*\/?\s*(conversation|draft)\s*>/gi, "($1)");
}

const instances = new WeakMap<AppContext, Promise<AgentAssist>>();

/** The process's AgentAssist (created on first use). */
export function agentAssistFor(ctx: AppContext): Promise<AgentAssist> {
  let p = instances.get(ctx);
  if (!p) {
    p = AgentAssist.create(ctx);
    p.catch(() => instances.delete(ctx));
    instances.set(ctx, p);
  }
  return p;
}
