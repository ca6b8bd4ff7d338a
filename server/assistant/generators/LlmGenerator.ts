import fs from "node:fs";
import path from "node:path";
import type { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { Config } from "../../config.ts";
import type { SearchHit } from "../../knowledge/KnowledgeSearch.ts";
import type { Language } from "../language.ts";
import { redactText } from "../../privacy/redact.ts";
import { TOOL_NAMES, type ToolName } from "../tools/accountTools.ts";
import type { CustomFunction, CustomToolChoice } from "../tools/chooseTool.ts";
import type { AnswerGenerator, GenerateInput } from "./AnswerGenerator.ts";
import { chatModel } from "./chatModel.ts";

/** What the model replies, alone, when the passages do not answer the question. Never shown. */
export const NO_ANSWER = "NO_ANSWER";
/** A reply quoting this many consecutive characters of a prompt is a leak. */
export const LEAK_WINDOW = 60;
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PASSAGE_CHARS = 2500;
const MAX_HISTORY_TURNS = 6;
const MAX_TURN_CHARS = 400;

export type DeclineReason = "no_passages" | "no_answer" | "no_citation" | "empty" | "prompt_leak" | "action_claim" | "tool_call_refused";

export type LlmResult = { declined: false; text: string; used: SearchHit[] } | { declined: true; reason: DeclineReason };

export interface Prompts {
  /** System prompt of every answer; must contain NO_ANSWER. */
  system: string;
  /** User message of every answer: {{passages}}, {{question}}, {{language}}, {{history}}. */
  answer: string;
  /** System prompt of the function-calling step (tool selection). */
  tools: string;
}

export interface LlmGeneratorOptions {
  /** Whole-request limit (ms); past it generate/selectTool throw LlmTimeoutError. */
  timeoutMs?: number;
  temperature?: number;
  logger?: { warn(obj: object, msg: string): void };
}

export class LlmTimeoutError extends Error {
  constructor(ms: number) {
    super(`The language model did not answer within ${ms} ms`);
    this.name = "LlmTimeoutError";
  }
}

/** Reads and checks the prompt files of PROMPTS_DIR; throws naming the file at fault. */
export function loadPrompts(dir: string): Prompts {
  const read = (file: string) => {
    const full = path.join(dir, file);
    try {
      return fs.readFileSync(full, "utf8").trim();
    } catch {
      throw new Error(
        `LLM prompt file ${full} is missing: restore it or point PROMPTS_DIR at a folder with system.md, answer.md and tools.md`,
      );
    }
  };
  const prompts = { system: read("system.md"), answer: read("answer.md"), tools: read("tools.md") };
  if (!prompts.system.includes(NO_ANSWER))
    throw new Error(`${path.join(dir, "system.md")} must tell the model to reply ${NO_ANSWER} when the passages do not answer`);
  for (const p of ["{{passages}}", "{{question}}"]) {
    if (!prompts.answer.includes(p)) throw new Error(`${path.join(dir, "answer.md")} must contain the placeholder ${p}`);
  }
  return prompts;
}

/** OpenAI function definitions of the account tools. The model picks one; it passes no arguments we use. */
const TOOL_SPECS: Record<ToolName, string> = {
  balance: "Show the balances of the signed-in customer's own accounts.",
  transactions: "Show the signed-in customer's most recent transactions.",
  deposits: "Show the signed-in customer's time deposits and instalment savings.",
  freeze_card:
    "Start freezing one of the signed-in customer's cards (lost, stolen, or to block it). The customer must confirm before anything changes.",
  unfreeze_card: "Start unfreezing one of the signed-in customer's frozen cards. The customer must confirm before anything changes.",
  report_card_lost:
    "Start reporting one of the signed-in customer's cards lost or stolen: it is cancelled for good and a replacement ordered. Only when they ask to report it, cancel it or replace it (挂失, 补卡), not just to freeze it. The customer must confirm before anything changes.",
  make_up_instalment:
    "Start paying a missed monthly instalment of the signed-in customer's instalment savings (零存整取补存) from their everyday account. The customer must confirm before anything changes.",
  dispute_transaction:
    "Start a dispute of one of the signed-in customer's recent payments they do not recognise or did not make (申诉, chargeback), found by its amount; it opens a complaint case. The customer must confirm before anything changes.",
  explain_transaction:
    "Find one of the signed-in customer's recent transactions by its amount (e.g. 'what is this ¥38 charge?') and show its date, description and account. Read only.",
};
const toolDef = (name: ToolName) => ({
  type: "function" as const,
  function: { name, description: TOOL_SPECS[name], parameters: { type: "object", properties: {}, additionalProperties: false } },
});

/**
 * Answers with any OpenAI-compatible chat model (OpenAI, Azure OpenAI's v1 API,
 * Ollama, vLLM…) through LangChain, from the retrieved passages only:
 *
 * - the prompt numbers the passages [1], [2]…; the model cites them, and the cited
 *   ones are the answer's sources (`used`); an answer citing none is declined;
 * - when the passages do not answer, the model replies NO_ANSWER, which becomes a
 *   decline; tokens stream through `onToken` but the sentinel never does (the
 *   stream holds back anything that could still turn out to be it);
 * - the [n] markers are removed from the text (the sources are listed under the
 *   message), in the stream too, so the final text is exactly what was streamed;
 * - an output guard declines replies that quote the prompts or claim an action;
 * - the answer request carries no tools; a tool call in the reply is refused.
 *
 * `selectTool` is the separate function-calling step the Assistant uses for a
 * verified customer when its intent classifier is unsure (see Assistant.ts).
 */
export class LlmGenerator implements AnswerGenerator {
  readonly kind = "llm" as const;
  private readonly leakWindows: Set<string>;
  private readonly timeoutMs: number;
  /** Set when the server rejected a request with tools: function calling is then not tried again. */
  private toolsUnsupported = false;

  constructor(
    private readonly streaming: ChatOpenAI,
    private readonly plain: ChatOpenAI,
    readonly prompts: Prompts,
    private readonly options: LlmGeneratorOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.leakWindows = windows([prompts.system, prompts.tools]);
  }

  static async create(
    config: Pick<Config, "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_MODEL" | "PROMPTS_DIR">,
    options: LlmGeneratorOptions = {},
  ): Promise<LlmGenerator> {
    if (!config.OPENAI_MODEL) throw new Error("OPENAI_MODEL is required for the LLM assistant");
    const prompts = loadPrompts(config.PROMPTS_DIR);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // The job retries (then hands off); retrying here too would outlast the timeout.
    const model = (streaming: boolean) => chatModel(config, { temperature: options.temperature ?? 0, timeoutMs, maxRetries: 0, streaming });
    return new LlmGenerator(model(true), model(false), prompts, {
      ...options,
      timeoutMs,
    });
  }

  /** The chat messages of an answer (also used by tests and evaluation). */
  buildMessages(input: Pick<GenerateInput, "question" | "language" | "passages" | "history">): BaseMessage[] {
    const passages = input.passages
      .map(
        (p, i) => `[${i + 1}] ${p.title}${p.heading && p.heading !== p.title ? ` — ${p.heading}` : ""}\n${clip(p.text, MAX_PASSAGE_CHARS)}`,
      )
      .join("\n\n");
    const history = input.history
      .slice(-MAX_HISTORY_TURNS)
      .map(
        (t) =>
          `${t.role === "customer" ? "Customer" : t.role === "agent" ? "Bank staff" : "Assistant"}: ${clip(redactText(t.text).text, MAX_TURN_CHARS)}`,
      )
      .join("\n");
    const values: Record<string, string> = {
      language: LANGUAGE_NAME[input.language],
      history: history || "(none)",
      passages,
      // Defensive: the question is redacted by the Assistant; redacting again is idempotent.
      question: redactText(input.question).text,
    };
    // One pass over the template: text inside the values is never treated as a placeholder.
    const user = this.prompts.answer.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in values ? fence(values[k]!) : m));
    return [new SystemMessage(this.prompts.system), new HumanMessage(user)];
  }

  async generate(input: GenerateInput): Promise<LlmResult> {
    if (!input.passages.length) return { declined: true, reason: "no_passages" };
    const out = new AnswerStream(this.leakWindows, input.onToken);
    let toolCall = false;
    await this.withTimeout(async (signal) => {
      const stream = await this.streaming.stream(this.buildMessages(input), { signal });
      for await (const chunk of stream) {
        if (chunk.tool_call_chunks?.length || chunk.tool_calls?.length) {
          // No tools were offered: a tool call here is refused, never executed.
          toolCall = true;
          break;
        }
        const text = contentText(chunk.content);
        if (text) out.push(text);
        if (out.stopped) break;
      }
    });
    if (toolCall) return { declined: true, reason: "tool_call_refused" };
    return out.finish(input.passages);
  }

  /**
   * Offers the account tools to the model as functions and returns the one it calls,
   * if any. The request holds only the instructions and the customer's redacted
   * message (no passages, no history), so retrieved content cannot steer it. A call
   * to anything not offered refuses the lot. The caller still checks verification,
   * and changes still wait for the customer's confirmation.
   */
  async selectTool(input: {
    question: string;
    language: Language;
    tools: readonly ToolName[];
    custom?: readonly CustomFunction[];
  }): Promise<ToolName | CustomToolChoice | null> {
    const offered = input.tools.filter((t) => (TOOL_NAMES as readonly string[]).includes(t));
    // The bank's own tools: their input schemas as defined (customTools/definition.ts keeps them to a safe subset).
    const custom = (input.custom ?? []).filter((c) => !(TOOL_NAMES as readonly string[]).includes(c.name));
    if ((!offered.length && !custom.length) || this.toolsUnsupported) return null;
    const model = this.plain.bindTools([
      ...offered.map(toolDef),
      ...custom.map((c) => ({
        type: "function" as const,
        function: { name: c.name, description: c.description, parameters: c.parameters },
      })),
    ]);
    let reply: Awaited<ReturnType<typeof model.invoke>>;
    try {
      reply = await this.withTimeout((signal) =>
        model.invoke(
          [
            new SystemMessage(this.prompts.tools),
            new HumanMessage(`The customer's message:\n<message>\n${fence(redactText(input.question).text)}\n</message>`),
          ],
          { signal },
        ),
      );
    } catch (err) {
      // A server without function calling (e.g. vLLM without --enable-auto-tool-choice)
      // answers 400: the assistant keeps working with intent-chosen tools only.
      const status = (err as { status?: unknown }).status;
      if (status === 400 || status === 422) {
        this.toolsUnsupported = true;
        this.options.logger?.warn({ err }, "the model server refused function calling; account tools are chosen by intent only");
        return null;
      }
      throw err;
    }
    const names = [...(reply.tool_calls ?? []).map((c) => c.name), ...(reply.invalid_tool_calls ?? []).map((c) => c.name ?? "")];
    if (!names.length) return null;
    const customNames = custom.map((c) => c.name);
    if (names.some((n) => !(offered as readonly string[]).includes(n) && !customNames.includes(n))) return null;
    if (customNames.includes(names[0]!)) {
      // Arguments are the model's reading of the message: the assistant checks each against its schema.
      const call = (reply.tool_calls ?? []).find((c) => c.name === names[0]);
      const args = call?.args && typeof call.args === "object" ? (call.args as Record<string, unknown>) : {};
      return { custom: names[0]!, args };
    }
    return names[0] as ToolName;
  }

  /** Checks a finished reply the way the stream does (for callers without streaming). */
  guard(text: string): DeclineReason | null {
    return guardReply(text, this.leakWindows);
  }

  private async withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new LlmTimeoutError(this.timeoutMs));
    }, this.timeoutMs);
    try {
      return await fn(ac.signal);
    } catch (err) {
      if (timedOut) throw new LlmTimeoutError(this.timeoutMs);
      throw err;
    } finally {
      clearTimeout(timer);
      // Releases the connection when we stopped reading early (sentinel, guard, tool call).
      if (!timedOut) ac.abort();
    }
  }
}

const LANGUAGE_NAME: Record<Language, string> = {
  en: "English",
  zh: "Chinese (in the script the customer uses: simplified or traditional)",
};

/** Keeps inserted text from closing the template's <passages>/<message>/<history> sections. */
export function fence(s: string): string {
  return s.replace(/<\s*\/?\s*(passages|message|history)\s*>/gi, "($1)");
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p) => (typeof p === "string" ? p : p && typeof p === "object" && "text" in p && typeof p.text === "string" ? p.text : ""))
      .join("");
  return "";
}

// ---------------------------------------------------------------------------
// Citations, sentinel and output guard

/** [1], [1][2], [1, 2], 【1】 — with the horizontal space before it. */
const MARKER = /[ \t]*(?:\[|【)\s*\d{1,2}(?:\s*[,，、]\s*\d{1,2})*\s*(?:\]|】)/g;
/** The start of a marker at the end of the text so far. */
const PARTIAL_MARKER = /(?:\[|【)[\d\s,，、]*$/;

export function stripMarkers(text: string): string {
  return text.replace(MARKER, "");
}

/** Passage numbers cited in the text, in order of first citation. */
export function citedNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MARKER)) for (const d of m[0].match(/\d+/g) ?? []) if (!out.includes(Number(d))) out.push(Number(d));
  return out;
}

/** Lower case, no Markdown emphasis, collapsed whitespace: how prompts and replies are compared. */
function normalize(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`#>]/g, "")
    .replace(/\s+/g, " ");
}

function windows(texts: string[]): Set<string> {
  const set = new Set<string>();
  for (const t of texts) {
    const n = normalize(t);
    for (let i = 0; i + LEAK_WINDOW <= n.length; i++) set.add(n.slice(i, i + LEAK_WINDOW));
  }
  return set;
}

function leaks(normalized: string, leakWindows: Set<string>, from = 0): boolean {
  for (let i = Math.max(0, from); i + LEAK_WINDOW <= normalized.length; i++)
    if (leakWindows.has(normalized.slice(i, i + LEAK_WINDOW))) return true;
  return false;
}

const PAST_ACTION =
  "frozen|froze|blocked|locked|unlocked|unfrozen|unfroze|unblocked|cancell?ed|transferred|sent|reset|changed|updated|closed|opened|ordered|requested|refunded|reversed|disputed|reported|activated|deactivated|submitted|processed|paid|moved|increased|raised|lowered|escalated|filed|issued|credited|debited|waived|approved|removed|deleted|added|set up|scheduled|arranged|replaced";
/** Not a claim when the clause is conditional or a question: "Once your card has been frozen…", "What if I sent…". */
const NOT_A_CLAIM = String.raw`(?<!\b(?:if|when|whenever|once|after|before|until|unless|while|what|how|can|could|should|do|did|may|where)\s+)`;
/** Replies claiming the assistant did something: it cannot act, so these are never true. */
const ACTION_CLAIMS = [
  new RegExp(
    String.raw`${NOT_A_CLAIM}\bI(?:'ve| have| had)?(?: just| now| already| successfully| gone ahead and)* (?:${PAST_ACTION})\b`,
    "i",
  ),
  new RegExp(
    String.raw`${NOT_A_CLAIM}\bwe(?:'ve| have)(?: just| now| already| successfully)* (?:${PAST_ACTION}) (?:your|it|this|that)\b`,
    "i",
  ),
  new RegExp(
    String.raw`${NOT_A_CLAIM}\byour [\w -]{0,30}?(?:has|have) (?:now )?been (?:successfully )?(?:${PAST_ACTION})(?: for you)?\b`,
    "i",
  ),
  new RegExp(String.raw`${NOT_A_CLAIM}\byour [\w -]{0,30}? is now (?:frozen|blocked|locked|unfrozen|unblocked|closed|cancell?ed)\b`, "i"),
  /^\s*(?:done|all set)\b/i,
  /(?:已|已经|已經)(?:为您|帮您|給您|给您|替您|為您|幫您)/,
  /我(?:已|已经|已經)(?:成功)?(?:为您|帮您)?(?:冻结|凍結|解冻|解凍|挂失|掛失|转账|轉賬|汇款|匯款|取消|关闭|關閉|注销|註銷|修改|重置|提交|办理|辦理|开通|開通|申请|申請|退款|补办|補辦)/,
  /(?:已|已经|已經)成功(?:冻结|凍結|解冻|解凍|挂失|掛失|转账|轉賬|汇款|匯款|办理|辦理|提交|取消|关闭|關閉)/,
];

/** Why a finished reply must not reach the customer, or null. */
export function guardReply(text: string, leakWindows: Set<string>): DeclineReason | null {
  if (leaks(normalize(text), leakWindows)) return "prompt_leak";
  if (ACTION_CLAIMS.some((r) => r.test(text))) return "action_claim";
  return null;
}

/** Builds the leak windows of a set of prompt texts (for guardReply). */
export function promptWindows(...texts: string[]): Set<string> {
  return windows(texts);
}

/**
 * The streamed reply: receives the model's raw deltas and passes on only text that
 * can no longer become the sentinel, a citation marker (removed) or a guarded reply.
 * What it emits, concatenated, is exactly the final answer's text.
 */
export class AnswerStream {
  private raw = "";
  private emitted = "";
  private checkedLeakTo = 0;
  private tripped: DeclineReason | null = null;
  private sentinel = false;

  constructor(
    private readonly leakWindows: Set<string>,
    private readonly onToken?: (delta: string) => void,
  ) {}

  /** True once the reply can no longer be shown (sentinel or guard): stop reading. */
  get stopped(): boolean {
    return this.sentinel || this.tripped !== null;
  }

  push(delta: string): void {
    if (this.stopped) return;
    this.raw += delta;
    if (this.raw.includes(NO_ANSWER)) {
      this.sentinel = true;
      return;
    }
    const clean = stripMarkers(this.raw.slice(0, this.stableLength())).trimStart();
    if (!this.check(clean)) return;
    if (clean.length > this.emitted.length && clean.startsWith(this.emitted)) {
      const delta = clean.slice(this.emitted.length);
      this.emitted = clean;
      this.onToken?.(delta);
    }
  }

  /** The outcome once the model has finished. */
  finish(passages: SearchHit[]): LlmResult {
    if (this.sentinel) return { declined: true, reason: "no_answer" };
    if (this.tripped) return { declined: true, reason: this.tripped };
    const text = stripMarkers(this.raw).trim();
    if (!this.check(text)) return { declined: true, reason: this.tripped! };
    if (!text) return { declined: true, reason: "empty" };
    const used = citedNumbers(this.raw)
      .filter((n) => n >= 1 && n <= passages.length)
      .map((n) => passages[n - 1]!);
    if (!used.length) return { declined: true, reason: "no_citation" };
    // Whatever was held back (trailing text) goes out now, so the stream equals the text.
    if (text.startsWith(this.emitted) && text.length > this.emitted.length) {
      this.onToken?.(text.slice(this.emitted.length));
      this.emitted = text;
    }
    return { declined: false, text, used };
  }

  /** How much of the raw text is settled: without a tail that may still become the sentinel or a marker, or trailing space. */
  private stableLength(): number {
    let end = this.raw.length;
    for (;;) {
      const before = end;
      const s = this.raw.slice(0, end);
      for (let k = Math.min(NO_ANSWER.length - 1, s.length); k > 0; k--) {
        if (NO_ANSWER.startsWith(s.slice(s.length - k))) {
          end -= k;
          break;
        }
      }
      const partial = this.raw.slice(0, end).match(PARTIAL_MARKER);
      if (partial) end -= partial[0].length;
      const ws = this.raw.slice(0, end).match(/\s+$/);
      if (ws) end -= ws[0].length;
      if (end === before) return end;
    }
  }

  /** The guard, on the text so far; false (and stopped) when it trips. */
  private check(clean: string): boolean {
    const n = normalize(clean);
    if (leaks(n, this.leakWindows, this.checkedLeakTo - LEAK_WINDOW)) this.tripped = "prompt_leak";
    else if (ACTION_CLAIMS.some((r) => r.test(clean))) this.tripped = "action_claim";
    this.checkedLeakTo = n.length;
    return this.tripped === null;
  }
}
