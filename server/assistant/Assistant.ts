import crypto from "node:crypto";
import type { CoreBanking } from "../banking/CoreBanking.ts";
import type { KnowledgeBase } from "../knowledge/KnowledgeBase.ts";
import { detectLanguage, type Language } from "./language.ts";
import { redactText } from "../privacy/redact.ts";
import { conversationTrend, TREND_TURNS, type SentimentAnalyzer } from "./sentiment/index.ts";
import type { IntentClassifier } from "./intents/classifier.ts";
import { decideHandoff, INTENT_CONFIDENCE, MAX_LOW_CONFIDENCE_TURNS, rejectsAnswer } from "./decideHandoff.ts";
import { OUT_OF_SCOPE } from "./intents/load.ts";
import type { EvidenceSource } from "./evidence.ts";
import { answerDecision } from "./answering/confidence.ts";
import { showsFactAsked } from "./answering/answerType.ts";
import { rankPassages, type RankedPassage } from "./answering/rankPassages.ts";
import { followUpContext } from "./answering/followUp.ts";
import { resolveArticleLinks } from "./answering/articleLinks.ts";
import type { AnswerGenerator } from "./generators/AnswerGenerator.ts";
import { confirmationAnswer, confirmChange, runTool, TOOL_NAMES, TOOL_RISK, type ToolName } from "./tools/accountTools.ts";
import { actionText } from "../stepup/codeMessage.ts";
import { CODE_ONLY_MESSAGE } from "../stepup/oneTimeCode.ts";
import { say } from "./replies.ts";
import { CoreBankingError, isCoreBankingUnavailable } from "../banking/errors.ts";
import { summarizeForHandoff, teamForIntent } from "./summarizeForHandoff.ts";
import { talkToPerson, tracer, type ReplyFn, type Step } from "./turn.ts";
import type {
  AssistantInput,
  AssistantReply,
  BotState,
  Citation,
  HistoryTurn,
  PendingConfirmation,
  QuickReply,
  ResumedReply,
  TraceEntry,
} from "./types.ts";
import type { RiskLevel } from "../stepup/stepUpPolicy.ts";
import type { StoredCustomTool } from "../customTools/customToolStore.ts";
import { answerFor } from "../customTools/extractParameters.ts";
import { functionSpec } from "../customTools/definition.ts";
import { CONFIRM_TTL_MS, yesNo } from "./tools/outcome.ts";
import { asksToDispute, disputeOffers, wantsDispute, type DisputeCasesPort } from "./tools/disputeTransaction.ts";
import {
  confirmationDetails,
  customPurpose,
  customToolRisk,
  inputName,
  inputsFrom,
  matchCustomTools,
  chosenTool,
  missingInput,
  type CustomToolsPort,
} from "./tools/customToolTurn.ts";

/** A function a model may call besides the built-in tools: one of the bank's own tools (customTools/). */
export interface CustomFunction {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A custom tool a model chose, with the arguments it read from the message (checked before use). */
export interface CustomToolChoice {
  custom: string;
  args: Record<string, unknown>;
}

export interface ToolSelector {
  /** Which of the offered tools the customer's (redacted) message asks for, if any. */
  selectTool(input: {
    question: string;
    language: Language;
    tools: readonly ToolName[];
    custom?: readonly CustomFunction[];
  }): Promise<ToolName | CustomToolChoice | null>;
}

/** What the assistant needs of the knowledge base: search, and the statistics evidence is weighed with. */
export type KnowledgeSource = Pick<KnowledgeBase, "query" | "sectionPaths"> & EvidenceSource;

export interface AssistantDeps {
  knowledge: KnowledgeSource;
  intents: () => IntentClassifier;
  /** Where the knowledge base answers an intent (its definition's `answer:`), for ranking. */
  intentAnswers?: (intent: string) => string[];
  sentiment: SentimentAnalyzer;
  banking: CoreBanking;
  generator: AnswerGenerator;
  /**
   * With an LLM: picks an account tool by function calling when the intent
   * classifier is unsure. Only ever asked for a verified customer; what it returns
   * is checked against the tools offered and runs like an intent's tool (changes
   * still wait for the customer's confirmation).
   */
  toolSelector?: ToolSelector;
  /** Public URL of an article, for citations. */
  articleUrl?: (path: string) => string;
  /** The bank's own tools, started by their triggers (or by function calling with an LLM). */
  customTools?: CustomToolsPort;
  /** Where a confirmed dispute opens its complaint case (cases/openDisputeCase.ts). */
  disputes?: DisputeCasesPort;
}

/** The tools a message asking for a dispute may have been read as: it is the dispute it asks for. */
const DISPUTE_NEIGHBOURS: readonly ToolName[] = ["transactions", "explain_transaction", "freeze_card", "dispute_transaction"];

/** The intent whose guide sections answer a dispute request the bot answers from the guide (unverified, or no payment named). */
const DISPUTE_INTENT = "unrecognised_transaction";

const SMALLTALK: Record<string, "greeting" | "thanks"> = { greeting: "greeting", thanks_goodbye: "thanks" };
/** Bank tools offered when a message fits several, and how long the choice waits for the customer's tap. */
const MAX_TOOL_CHOICES = 4;
const PENDING_CHOICE_MS = 10 * 60_000;
/** After "that didn't answer my question": how many of the next passages are weighed for the second try. */
const RETRY_CANDIDATES = 3;

/** A recognised intent points ranking at the sections that answer it (its definition's `answer:`). */
export function steerFor(intent: { name: string; confidence: number }, answers?: (intent: string) => string[]): string[] {
  return intent.confidence >= INTENT_CONFIDENCE ? (answers?.(intent.name) ?? []) : [];
}

/**
 * The assistant's pipeline for one customer message:
 * language and redaction → sentiment (and trend) → intent → handoff decision →
 * tool (verified customers only) or grounded answer from the knowledge base, or
 * a refusal when the evidence is weak. Each step adds a trace entry; nothing here
 * writes to the database — the caller posts the reply or hands off.
 */
export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  async respond(input: AssistantInput): Promise<AssistantReply> {
    const trace: TraceEntry[] = [];
    const step = tracer(trace);

    const language = step(
      "language",
      () => detectLanguage(input.text),
      (l) => ({ language: l }),
    );
    const redacted = step(
      "redact",
      () => redactText(input.text),
      (r) => ({ found: r.found }),
    );
    const text = redacted.text;
    const sentiment = step(
      "sentiment",
      () => this.deps.sentiment.analyze(text),
      (s) => ({ label: s.label, score: s.score }),
    );
    const scores = [...(input.botState.sentimentScores ?? []), sentiment.score].slice(-TREND_TURNS);
    const trend = conversationTrend(scores).trend;
    const intent = step(
      "intent",
      () => this.deps.intents().classify(text),
      (i) => ({ name: i.name, confidence: Number(i.confidence.toFixed(3)), action: i.action }),
    );

    const state: BotState = { ...input.botState, sentimentScores: scores };
    const steer = steerFor(intent, this.deps.intentAnswers);
    const base = {
      language,
      sentiment: { label: sentiment.label, score: Number(sentiment.score.toFixed(3)), trend },
      intent: { name: intent.name, confidence: Number(intent.confidence.toFixed(3)), action: intent.action },
      redactedText: text,
      trace,
    };
    // Set once the message is read as a rejection of the previous answer (step 2).
    let rejectedAnswer = false;
    const reply = (r: {
      reply: string;
      citations?: Citation[];
      quickReplies?: QuickReply[];
      handoff?: AssistantReply["handoff"];
      botState?: BotState;
      sideEffect?: AssistantReply["sideEffect"];
      answeredQuestion?: string;
      stepUp?: AssistantReply["stepUp"];
    }): AssistantReply => ({
      ...base,
      reply: r.reply,
      citations: r.citations ?? [],
      quickReplies: r.quickReplies ?? [],
      handoff: r.handoff ?? { needed: false, reason: null },
      botState: r.botState ?? state,
      sideEffect: r.sideEffect,
      ...(r.stepUp ? { stepUp: r.stepUp } : {}),
      rejectedAnswer,
      ...(r.answeredQuestion ? { answeredQuestion: r.answeredQuestion } : {}),
    });

    // 0. A one-time code typed into the chat instead of the code box is not read as a
    // question (nor sent to a model): the customer is pointed at the box.
    if (state.pendingStepUp && CODE_ONLY_MESSAGE.test(input.text)) return reply({ reply: say("stepUpUseBox", language) });

    // 1. A pending confirmation (a card change, a make-up payment) is answered first.
    const pending = state.pendingConfirmation;
    if (pending && input.verifiedCustomerId && pending.expiresAt > Date.now()) {
      const answer = confirmationAnswer(text);
      if (answer) {
        const next: BotState = { ...state, pendingConfirmation: undefined, lastAction: "tool" };
        if (answer === "no") return reply({ reply: say("cancelled", language), botState: next });
        const risk = pending.tool === "custom" ? ("high" as const) : TOOL_RISK[pending.tool];
        const purpose = pending.tool === "custom" ? customPurpose(pending.name) : pending.tool;
        // The step-up lapsed between the proposal and the yes (its window is per
        // conversation): the code comes first, then the change is proposed again.
        if (await this.needsCode(input, risk)) {
          // A bank tool is named by its label, as when it was proposed.
          const label =
            pending.tool === "custom"
              ? (await this.deps.customTools?.enabled())?.find((t) => t.name === pending.name)?.definition.label[language]
              : undefined;
          return this.askStepUp(reply, { ...next, lastAction: undefined }, purpose, risk, pending.request ?? "", language, step, label);
        }
        if (pending.tool === "custom") {
          return await this.confirmCustomChange(reply, input, pending, language, next, step, intent.name, sentiment.label);
        }
        const done = await step(
          "tool",
          () =>
            confirmChange(this.deps.banking, input.verifiedCustomerId!, pending, language, {
              disputes: this.deps.disputes,
              conversationId: input.conversationId,
            })
              .catch(refused)
              .catch(coreDown),
          (d) =>
            "unavailable" in d
              ? { tool: pending.tool, confirmed: true, unavailable: d.unavailable }
              : "refused" in d
                ? { tool: pending.tool, confirmed: true, refused: d.refused }
                : { tool: pending.tool, confirmed: true },
        );
        if ("unavailable" in done) {
          // The change may or may not have reached the core: a person checks, rather than the bot saying either.
          return await this.handoffReply(reply, input, language, "core_banking_unavailable", intent.name, sentiment.label, next, {
            lead: say("coreBusy", language),
          });
        }
        if ("refused" in done) {
          // The core said no (no money left for the instalment, the card cancelled meanwhile): nothing changed.
          return reply({ reply: say("changeRefused", language), quickReplies: [talkToPerson(language)], botState: next });
        }
        return reply({
          reply: done.reply,
          quickReplies: done.quickReplies,
          botState: next,
          sideEffect: { tool: pending.tool, target: done.target, result: JSON.stringify(done.data) },
        });
      }
    }
    delete state.pendingConfirmation;

    // 2. Does a human need to take over?
    const rejectedPrevious = input.botState.lastAction === "answer" && rejectsAnswer(text);
    if (rejectedPrevious) state.rejections = (state.rejections ?? 0) + 1;
    rejectedAnswer = rejectedPrevious;
    const decision = step(
      "handoff",
      () =>
        decideHandoff({
          text,
          intent,
          sentiment: { score: sentiment.score, trend, label: sentiment.label },
          botState: input.botState,
          rejectedPrevious,
          vulnerable: input.vulnerable,
        }),
      (d) => ({ ...d }),
    );
    if (decision.needed && decision.unlessAnswered) {
      // A question about complaints or agents: the knowledge base may answer it.
      const answered = await this.answer(text, language, input, state, step, { steer });
      if (!answered.declined) return reply(answered);
    }
    if (decision.needed && decision.answerFirst) {
      const answered = await this.answer(text, language, input, state, step, { steer });
      if (!answered.declined)
        return await this.handoffReply(reply, input, language, decision.reason!, intent.name, sentiment.label, state, { answer: answered });
    }
    if (decision.needed) return await this.handoffReply(reply, input, language, decision.reason!, intent.name, sentiment.label, state);

    // "That didn't answer my question": the next best passage for the same question, once;
    // a second rejection is handed off above.
    if (rejectedPrevious && input.botState.lastAnswer) {
      const retry = await this.answer(text, language, input, state, step, { again: input.botState.lastAnswer });
      if (!retry.declined) {
        const answeredQuestion = input.botState.lastAnswer.question;
        return reply({ ...retry, reply: `${say("anotherTry", language)}\n\n${retry.reply}`, answeredQuestion });
      }
      return await this.handoffReply(reply, input, language, "rejected_answers", intent.name, sentiment.label, state);
    }

    // 2b. The answer to an input a custom tool asked for.
    const asked = state.pendingCustomTool;
    delete state.pendingCustomTool;
    if (asked && asked.expiresAt > Date.now() && this.deps.customTools) {
      const tool = (await this.deps.customTools.enabled()).find((t) => t.name === asked.name && t.version === asked.version);
      const p = tool?.definition.parameters.properties[asked.asking];
      if (tool && p) {
        // The customer's own words, unmasked: an input (a tracking or phone number) is what they are giving us.
        const value = answerFor(p, input.text);
        // An answer of only a number or a code is in no language: the question's is kept.
        const lang = asked.language;
        if (value !== null && value !== undefined) {
          const params = { ...asked.params, [asked.asking]: value };
          return await this.runCustomTool(reply, tool, params, input, state, lang, text, step, intent.name, sentiment.label);
        }
        if (!asked.retried) {
          const what = inputName(tool.definition.parameters, asked.asking);
          return reply({
            reply: say("customAskAgain", lang, { what }),
            quickReplies: [talkToPerson(language)],
            botState: { ...state, lastAction: "tool", pendingCustomTool: { ...asked, retried: true } },
          });
        }
      }
    }

    // 2c. Which of the bank's tools the customer meant, when their words fitted several.
    const choice = state.pendingToolChoice;
    delete state.pendingToolChoice;
    if (choice && choice.expiresAt > Date.now() && this.deps.customTools) {
      const picked = chosenTool(await this.deps.customTools.enabled(), choice.names, input.text, choice.language);
      if (picked) {
        // The first message's inputs (a tracking number) still count; a masked one is asked for.
        const params = inputsFrom(picked.definition.parameters, `${choice.request}\n${input.text}`);
        return await this.runCustomTool(reply, picked, params, input, state, choice.language, text, step, intent.name, sentiment.label);
      }
    }

    // 3. Small talk.
    const small = intent.confidence >= 0.5 ? SMALLTALK[intent.name] : undefined;
    if (small)
      return reply({
        reply: say(small, language),
        botState: { ...state, lastAction: "smalltalk" },
        quickReplies: [talkToPerson(language)],
      });

    // 4a. The bank's own tools, started offline by their keywords or intents.
    const customTools = this.deps.customTools ? await this.deps.customTools.enabled() : [];
    const fitting = matchCustomTools(customTools, input.text, intent);
    if (fitting.length > 1) {
      // "Which did you mean?": each by the name the customer reads, chosen by a tap.
      return reply({
        reply: say("customWhich", language),
        quickReplies: [
          ...fitting.slice(0, MAX_TOOL_CHOICES).map((t) => ({ label: t.definition.label[language], text: t.definition.label[language] })),
          talkToPerson(language),
        ],
        botState: {
          ...state,
          lastAction: "tool",
          pendingToolChoice: {
            names: fitting.slice(0, MAX_TOOL_CHOICES).map((t) => t.name),
            // Masked: a card or phone number in it is asked for again rather than kept in the bot's state.
            request: text,
            language,
            expiresAt: Date.now() + PENDING_CHOICE_MS,
          },
        },
      });
    }
    const triggered = fitting[0];
    if (triggered) {
      const params = inputsFrom(triggered.definition.parameters, input.text);
      return await this.runCustomTool(reply, triggered, params, input, state, language, text, step, intent.name, sentiment.label);
    }

    // 4. Account tools: only for a verified customer, chosen by the intent's action —
    // or, when the intent is unsure and an LLM is configured, by function calling
    // (with the bank's own tools the customer may use offered alongside).
    let tool = intent.action.startsWith("tool:") && intent.confidence >= 0.5 ? (intent.action.slice(5) as ToolName) : undefined;
    // "I want to dispute it", "申诉": the dispute, when the intent points at a payment or a card, or is unsure.
    if (
      asksToDispute(text) &&
      (tool ? DISPUTE_NEIGHBOURS.includes(tool) : intent.name === OUT_OF_SCOPE || intent.confidence < INTENT_CONFIDENCE)
    )
      tool = "dispute_transaction";
    const selector = this.deps.toolSelector;
    const usable = customTools.filter((t) => input.verifiedCustomerId || !t.definition.requiresVerifiedCustomer);
    if (
      !tool &&
      selector &&
      (input.verifiedCustomerId || usable.length) &&
      (intent.name === OUT_OF_SCOPE || intent.confidence < INTENT_CONFIDENCE)
    ) {
      const builtIn = input.verifiedCustomerId ? TOOL_NAMES : [];
      const picked = await step(
        "tool_select",
        () => selector.selectTool({ question: text, language, tools: builtIn, custom: usable.map((t) => functionSpec(t.definition)) }),
        (t) => ({
          offered: [...builtIn, ...usable.map((u) => customPurpose(u.name))],
          picked: t && typeof t === "object" ? customPurpose(t.custom) : t,
        }),
      );
      if (picked && typeof picked === "object") {
        const chosen = usable.find((t) => t.name === picked.custom);
        if (chosen) {
          const params = inputsFrom(chosen.definition.parameters, input.text, picked.args);
          return await this.runCustomTool(reply, chosen, params, input, state, language, text, step, intent.name, sentiment.label);
        }
      } else if (picked && (builtIn as readonly string[]).includes(picked)) tool = picked;
    }
    if (tool && (TOOL_NAMES as readonly string[]).includes(tool)) {
      if (!input.verifiedCustomerId) {
        step(
          "tool",
          () => null,
          () => ({ tool, refused: "not_verified" }),
        );
        // What the guide says comes first when it answers with confidence (how to freeze a
        // lost card without signing in, how far back statements go, the demand rate), then
        // that signing in lets us look at the account. "What's my balance": only that.
        // A dispute asked for in so many words is answered from the guide's section on payments one does not recognise.
        const disputing = tool === "dispute_transaction";
        const attempt = await this.answer(text, language, input, state, step, {
          steer: disputing ? this.disputeSteer(steer) : steer,
          trustSteer: disputing || (TOOL_RISK[tool] === "high" && intent.confidence >= TRUSTED_INTENT),
        });
        const answered = attempt.declined ? undefined : attempt;
        if (!answered)
          return reply({ reply: say(disputing ? "signInToDispute" : "signIn", language), botState: { ...state, lastAction: "tool" } });
        // After the guide's steps for a change ("freeze it in the app"), signing in lets the bot make it here;
        // after an answer about an account ("how far back do statements go"), it lets the bot look.
        const then =
          tool === "dispute_transaction"
            ? say("signInToDispute", language)
            : TOOL_RISK[tool] === "high"
              ? say("signInToAct", language)
              : say("signIn", language);
        return reply({ ...answered, reply: `${answered.reply}\n\n${then}` });
      }
      // "There's a charge I didn't make", with no amount and no word of a dispute: the guide's
      // steps first (nothing of the account is read), and the dispute or a freeze offered.
      if (tool === "dispute_transaction" && !wantsDispute(text)) {
        const attempt = await this.answer(text, language, input, state, step, {
          steer: this.disputeSteer(steer),
          trustSteer: intent.confidence >= TRUSTED_INTENT,
        });
        if (attempt.declined) {
          return reply({
            reply: say("disputeOffer", language),
            quickReplies: [...disputeOffers(language), talkToPerson(language)],
            botState: { ...state, lastAction: "tool" },
          });
        }
        return reply({ ...attempt, quickReplies: [...disputeOffers(language), ...attempt.quickReplies] });
      }
      // Nothing of the account is read for a customer who still owes the inbox a code.
      if (await this.needsCode(input, TOOL_RISK[tool])) return this.askStepUp(reply, state, tool, TOOL_RISK[tool], text, language, step);
      // A dispute is a case linked to a conversation: the CLI (no conversation, no cases) cannot open one.
      if (tool === "dispute_transaction" && (!this.deps.disputes || !input.conversationId)) {
        return reply({
          reply: say("disputeHere", language),
          quickReplies: [talkToPerson(language)],
          botState: { ...state, lastAction: "tool" },
        });
      }
      const out = await this.runAccountTool(tool, input.verifiedCustomerId, language, text, step);
      if ("unavailable" in out) {
        // The core is down, slow or its breaker open: say so, say what the customer can do
        // meanwhile, and hand off, instead of leaving them waiting on a reply that never comes.
        return await this.handoffReply(reply, input, language, "core_banking_unavailable", intent.name, sentiment.label, state, {
          lead: say("coreBusy", language),
        });
      }
      return reply({
        reply: out.reply,
        quickReplies: out.quickReplies,
        botState: {
          ...state,
          lastAction: out.pendingConfirmation ? "confirm" : "tool",
          pendingConfirmation: out.pendingConfirmation && { ...out.pendingConfirmation, request: text },
          pendingStepUp: undefined,
          lowConfidenceTurns: 0,
        },
      });
    }

    // 5. A question: answer from the knowledge base, or decline.
    const answered = await this.answer(text, language, input, state, step, { steer });
    if (answered.declined && (state.lowConfidenceTurns ?? 0) >= MAX_LOW_CONFIDENCE_TURNS) {
      return await this.handoffReply(reply, input, language, "low_confidence", intent.name, sentiment.label, state);
    }
    return reply(answered);
  }

  /**
   * After the customer's code was verified (stepup/): runs the tool that waited for it
   * as it would have run then (a change is proposed and waits for a yes, as always).
   * Null when nothing waits for this challenge any more (another was asked for since,
   * or it is older than its time).
   */
  async resumeAfterStepUp(input: {
    verifiedCustomerId: string;
    botState: BotState;
    challengeId: string;
    conversationId?: string;
  }): Promise<ResumedReply | null> {
    const p = input.botState.pendingStepUp;
    if (!p || p.challengeId !== input.challengeId || p.expiresAt <= Date.now()) return null;
    if (p.tool.startsWith("custom:")) return this.resumeCustomTool(input, p);
    if (!(TOOL_NAMES as readonly string[]).includes(p.tool)) return null;
    const tool = p.tool as ToolName;
    const trace: TraceEntry[] = [];
    const state: BotState = { ...input.botState, pendingStepUp: undefined };
    const out = await this.runAccountTool(tool, input.verifiedCustomerId, p.language, p.text, tracer(trace));
    if ("unavailable" in out) return { unavailable: true, language: p.language, botState: state, trace };
    return {
      reply: `${say("stepUpDone", p.language)}\n\n${out.reply}`,
      quickReplies: out.quickReplies ?? [],
      language: p.language,
      botState: {
        ...state,
        lastAction: out.pendingConfirmation ? "confirm" : "tool",
        pendingConfirmation: out.pendingConfirmation && { ...out.pendingConfirmation, request: p.text },
      },
      trace,
    };
  }

  /** One account tool for a verified customer, traced; the core being down is a value. */
  private runAccountTool(tool: ToolName, customerId: string, language: Language, text: string, step: Step) {
    return step(
      "tool",
      () => runTool(this.deps.banking, tool, customerId, language, text).catch(coreDown),
      (o) =>
        "unavailable" in o ? { tool, unavailable: o.unavailable } : { tool, data: o.data ?? null, confirm: Boolean(o.pendingConfirmation) },
    );
  }

  /** Whether an action of this risk needs a one-time code now: its level asks for one and none was passed within the window. */
  private async needsCode(input: AssistantInput, risk: RiskLevel | null): Promise<boolean> {
    if (!input.stepUp || !risk) return false;
    const s = await input.stepUp();
    return s.requires[risk] === "code" && !s.verified;
  }

  /**
   * One of the bank's own tools, for this message: the customer's verification and
   * step-up checked as for the built-in tools, a missing input asked for, a change
   * proposed for a yes; otherwise called, and its reply rendered. A failure is said
   * as such and handed to a person — the assistant never answers in its place.
   */
  private async runCustomTool(
    reply: ReplyFn,
    tool: StoredCustomTool,
    params: Record<string, unknown>,
    input: AssistantInput,
    state: BotState,
    language: Language,
    text: string,
    step: Step,
    intentName: string,
    sentimentLabel: string,
  ): Promise<AssistantReply> {
    const d = tool.definition;
    const purpose = customPurpose(tool.name);
    const action = d.label[language];
    if (d.requiresVerifiedCustomer && !input.verifiedCustomerId) {
      step(
        "tool",
        () => null,
        () => ({ tool: purpose, version: tool.version, refused: "not_verified" }),
      );
      const then = d.changesSomething ? say("signInToAct", language) : say("signIn", language);
      return reply({ reply: then, botState: { ...state, lastAction: "tool" } });
    }
    const risk = customToolRisk(tool);
    if (await this.needsCode(input, risk)) return this.askStepUp(reply, state, purpose, risk!, text, language, step, action);
    const missing = missingInput(d.parameters, params);
    if (missing) {
      step(
        "tool",
        () => null,
        () => ({ tool: purpose, version: tool.version, asking: missing }),
      );
      return reply({
        reply: say("customAsk", language, { action, what: inputName(d.parameters, missing) }),
        quickReplies: [talkToPerson(language)],
        botState: {
          ...state,
          lastAction: "tool",
          pendingStepUp: undefined,
          pendingCustomTool: {
            name: tool.name,
            version: tool.version,
            params,
            asking: missing,
            language,
            expiresAt: Date.now() + CONFIRM_TTL_MS,
          },
        },
      });
    }
    if (d.changesSomething) {
      step(
        "tool",
        () => null,
        () => ({ tool: purpose, version: tool.version, confirm: true }),
      );
      return reply({
        reply: say("customConfirm", language, { action, details: confirmationDetails(d.parameters, params) }),
        quickReplies: yesNo(language),
        botState: {
          ...state,
          lastAction: "confirm",
          pendingStepUp: undefined,
          pendingConfirmation: {
            tool: "custom",
            name: tool.name,
            version: tool.version,
            params,
            expiresAt: Date.now() + CONFIRM_TTL_MS,
            requestId: crypto.randomUUID(),
            request: text,
          },
        },
      });
    }
    const result = await this.callCustomTool(tool, params, input, language, step);
    if (!result.ok) return this.customToolFailed(reply, input, language, action, intentName, sentimentLabel, state);
    return reply({
      reply: result.reply,
      quickReplies: [talkToPerson(language)],
      botState: { ...state, lastAction: "tool", pendingStepUp: undefined, lowConfidenceTurns: 0 },
    });
  }

  /** The yes to a custom tool's change: called with the key fixed when it was proposed, at the version proposed. */
  private async confirmCustomChange(
    reply: ReplyFn,
    input: AssistantInput,
    pending: Extract<PendingConfirmation, { tool: "custom" }>,
    language: Language,
    next: BotState,
    step: Step,
    intentName: string,
    sentimentLabel: string,
  ): Promise<AssistantReply> {
    const tool = (await this.deps.customTools?.enabled())?.find((t) => t.name === pending.name);
    // Edited or turned off since it was proposed: what the customer agreed to is not what would run.
    if (!tool || tool.version !== pending.version) return reply({ reply: say("customToolChanged", language), botState: next });
    const result = await this.callCustomTool(tool, pending.params, input, language, step, pending.requestId);
    if (!result.ok) return this.customToolFailed(reply, input, language, tool.definition.label[language], intentName, sentimentLabel, next);
    return reply({
      reply: result.reply,
      botState: next,
      sideEffect: {
        tool: `custom_tool.${tool.name}`,
        target: `custom_tool:${tool.name}@v${tool.version}`,
        result: JSON.stringify({ status: result.status }),
      },
    });
  }

  /** The call, traced by outcome and status only (the trace is stored with the reply: no inputs, no response). */
  private callCustomTool(
    tool: StoredCustomTool,
    params: Record<string, unknown>,
    input: AssistantInput,
    language: Language,
    step: Step,
    idempotencyKey?: string,
  ) {
    return step(
      "tool",
      () =>
        this.deps.customTools!.call(tool, {
          params,
          language,
          customerId: input.verifiedCustomerId,
          conversationId: input.conversationId,
          idempotencyKey,
        }),
      (r) => ({
        tool: customPurpose(tool.name),
        version: tool.version,
        outcome: r.ok ? "ok" : r.failure,
        status: r.status ?? null,
        ...(idempotencyKey ? { confirmed: true } : {}),
      }),
    );
  }

  private customToolFailed(
    reply: ReplyFn,
    input: AssistantInput,
    language: Language,
    action: string,
    intentName: string,
    sentimentLabel: string,
    state: BotState,
  ): Promise<AssistantReply> {
    return this.handoffReply(reply, input, language, "tool_failed", intentName, sentimentLabel, state, {
      lead: say("customToolFailed", language, { action }),
    });
  }

  /** After a step-up a custom tool waited for: it runs as it would have then (a change still waits for a yes). */
  private async resumeCustomTool(
    input: { verifiedCustomerId: string; botState: BotState; challengeId: string; conversationId?: string },
    p: NonNullable<BotState["pendingStepUp"]>,
  ): Promise<ResumedReply | null> {
    const tool = (await this.deps.customTools?.enabled())?.find((t) => customPurpose(t.name) === p.tool);
    if (!tool) return null;
    const trace: TraceEntry[] = [];
    const state: BotState = { ...input.botState, pendingStepUp: undefined };
    const base = {
      language: p.language,
      sentiment: { label: "neutral" as const, score: 0, trend: "stable" as const },
      intent: { name: "", confidence: 0, action: "" },
      redactedText: p.text,
      trace,
    };
    const replyFn: ReplyFn = (r) => ({
      ...base,
      reply: r.reply,
      citations: [],
      quickReplies: r.quickReplies ?? [],
      handoff: r.handoff ?? { needed: false, reason: null },
      botState: r.botState ?? state,
      rejectedAnswer: false,
    });
    const stepInput: AssistantInput = {
      text: p.text,
      verifiedCustomerId: input.verifiedCustomerId,
      botState: state,
      history: [],
      conversationId: input.conversationId,
    };
    const params = inputsFrom(tool.definition.parameters, p.text);
    const r = await this.runCustomTool(replyFn, tool, params, stepInput, state, p.language, p.text, tracer(trace), "", "neutral");
    if (r.handoff.needed) {
      return {
        unavailable: true,
        language: p.language,
        botState: { ...r.botState, pendingStepUp: undefined },
        trace,
        failedTool: tool.definition.label[p.language],
      };
    }
    return {
      reply: `${say("stepUpDone", p.language)}\n\n${r.reply}`,
      quickReplies: r.quickReplies,
      language: p.language,
      botState: r.botState,
      trace,
    };
  }

  /**
   * Asks for a step-up before the tool: the action waits in the bot's state; the caller
   * sends the code and says where (this reply is what is said when it does not).
   */
  private askStepUp(
    reply: (r: { reply: string; botState: BotState; stepUp: AssistantReply["stepUp"] }) => AssistantReply,
    state: BotState,
    tool: string,
    risk: RiskLevel,
    text: string,
    language: Language,
    step: Step,
    /** What the customer reads the action called, for one of the bank's own tools (its label). */
    action?: string,
  ): AssistantReply {
    step(
      "step_up",
      () => null,
      () => ({ tool, risk, required: "code" }),
    );
    return reply({
      reply: say("stepUpAsk", language, { action: action ?? actionText(tool, language) }),
      botState: {
        ...state,
        lastAction: "tool",
        pendingConfirmation: undefined,
        pendingStepUp: { tool, risk, text, language, expiresAt: Date.now() + PENDING_STEP_UP_MS },
      },
      stepUp: { tool, risk, ...(action ? { action } : {}) },
    });
  }

  private async answer(
    text: string,
    language: Language,
    input: AssistantInput,
    state: BotState,
    step: Step,
    opts: { steer?: string[]; again?: NonNullable<BotState["lastAnswer"]>; trustSteer?: boolean },
  ): Promise<{ reply: string; citations: Citation[]; quickReplies: QuickReply[]; botState: BotState; declined: boolean }> {
    const { again } = opts;
    // A rejected answer's question is asked again, without the passages already given.
    const question = again?.question ?? text;
    const context = again ? again.context : followUpContext(text, customerTurns(input.history));
    // An intent read from a follow-up's few words ("how much does a new one cost?") says little of its topic.
    const steer = context ? undefined : opts.steer;
    const candidates: RankedPassage[] = await step(
      "retrieve",
      async () =>
        (await rankPassages(this.deps.knowledge, question, { context, steer })).filter((p) => !again?.passageIds.includes(p.passageId)),
      (h) => ({
        ...(context ? { context } : {}),
        ...(steer?.length ? { steer } : {}),
        hits: h.slice(0, 3).map((x) => ({ path: x.path, heading: x.heading, rank: Number(x.rank.toFixed(3)) })),
      }),
    );
    // A second try looks a little further down (the next passages of the answer's own
    // article are often its introduction): the first of the next few it can stand behind.
    let ranked = candidates;
    let decision = answerDecision(ranked, question, language, Boolean(context));
    // It must show the kind of fact asked for: a rejected fee answer is not followed by a tracking tip.
    const standsBehind = (rs: RankedPassage[], d: typeof decision) => d.answer && showsFactAsked(question, rs[0]!.text);
    for (let i = 1; again && !standsBehind(ranked, decision) && i < RETRY_CANDIDATES; i++) {
      const rest = candidates.slice(i);
      const next = answerDecision(rest, question, language, Boolean(context));
      if (standsBehind(rest, next)) [ranked, decision] = [rest, next];
    }
    // A request the bot cannot carry out for this customer (freeze a card, unverified),
    // recognised surely: the section the content team wrote for it answers, when the
    // search found it, however the request was worded ("lost my wallet with my card in it"),
    // rather than the passage sharing most words (the article's opening: "freeze it first").
    const pointed = opts.trustSteer ? ranked.find((p) => p.features.steered === 1) : undefined;
    if (pointed) {
      // Led by its opening, which says what to do first, not by the sentence that shares most words.
      ranked = [{ ...pointed, best: 0 }, ...ranked.filter((p) => p !== pointed)];
      decision = { ...decision, answer: true };
    }
    const grounded = step(
      "evidence",
      () => decision.answer,
      (ok) => ({
        confidence: Number(decision.confidence.toFixed(3)),
        coverage: Number((ranked[0]?.features.article ?? 0).toFixed(3)),
        enough: ok,
        ...(pointed ? { pointedByIntent: true } : {}),
      }),
    );
    const result = grounded
      ? await step(
          "answer",
          () =>
            this.deps.generator.generate({
              question,
              language,
              passages: ranked.slice(0, 3),
              history: input.history,
              onToken: input.onToken,
            }),
          (r) => ({ generator: this.deps.generator.kind, declined: r.declined }),
        )
      : ({ declined: true } as const);
    if (!result.declined && !showsFactAsked(question, result.text)) (result as { declined: boolean }).declined = true;
    if (result.declined) {
      return {
        reply: say("decline", language),
        citations: [],
        quickReplies: [talkToPerson(language)],
        botState: { ...state, lastAction: "decline", lowConfidenceTurns: (state.lowConfidenceTurns ?? 0) + 1 },
        declined: true,
      };
    }
    const url = this.deps.articleUrl ?? ((p: string) => `/kb/${p.replace(/\.md$/, "")}`);
    return {
      // The articles' links to each other are relative paths: in a reply they point at the articles' pages.
      reply: resolveArticleLinks(result.text, result.used[0]?.path ?? "", url),
      citations: result.used.map((h) => ({ path: h.path, title: h.title, heading: h.heading, url: url(h.path) })),
      quickReplies: [talkToPerson(language)],
      botState: {
        ...state,
        lastAction: "answer",
        lowConfidenceTurns: 0,
        lastAnswer: { question, context, passageIds: [...(again?.passageIds ?? []), ...result.used.map((h) => h.passageId)] },
      },
      declined: false,
    };
  }

  private async handoffReply(
    reply: (r: { reply: string; citations?: Citation[]; handoff: AssistantReply["handoff"]; botState: BotState }) => AssistantReply,
    input: AssistantInput,
    language: Language,
    reason: NonNullable<AssistantReply["handoff"]["reason"]>,
    intentName: string,
    sentimentLabel: string,
    state: BotState,
    opts: { lead?: string; answer?: { reply: string; citations?: Citation[] } } = {},
  ): Promise<AssistantReply> {
    const a = (await input.availability?.()) ?? { agentsOnline: true, withinHours: true };
    // Outside service hours, say when we open; within them with nobody free, say it is queued.
    const next = !a.withinHours
      ? say("handoffOffline", language, { hours: a.hours ? say("hours", language, { hours: a.hours }) : "" })
      : a.agentsOnline
        ? say("handoffOnline", language)
        : say("handoffBusy", language);
    // An upset customer, or one with a sensitive matter, hears a word of sympathy first.
    const upset =
      reason === "negative_sentiment" || reason === "sensitive_topic" || reason === "complaint" || sentimentLabel === "negative";
    const message = opts.lead
      ? `${opts.lead}\n\n${next}`
      : opts.answer
        ? `${upset ? `${say("empathy", language)}\n\n` : ""}${opts.answer.reply}\n\n${next}`
        : upset
          ? `${say("empathy", language)} ${next}`
          : next;
    const summary = summarizeForHandoff({
      reason,
      intent: intentName,
      sentiment: sentimentLabel,
      history: input.history,
      lastMessage: redactText(input.text).text,
      verified: Boolean(input.verifiedCustomerId),
    });
    return reply({
      reply: message,
      citations: opts.answer?.citations,
      handoff: { needed: true, reason, summary, team: teamForIntent(intentName) },
      botState: { ...state, lastAction: undefined },
    });
  }

  /** Where a dispute's guide answer is found: the unrecognised-payment intent's sections (a dispute word may have routed it). */
  private disputeSteer(steer: string[]): string[] {
    return steer.length ? steer : (this.deps.intentAnswers?.(DISPUTE_INTENT) ?? []);
  }
}

/**
 * An intent this sure, asking for a change the bot cannot make for an unverified
 * customer, is answered from the section its `answer:` names. Our intents' own
 * examples score above 0.95 in cross-validation; below 0.9 the classifier's
 * second choices start (eval/intents-clinc.ts).
 */
const TRUSTED_INTENT = 0.9;

/** How long an action waits for its step-up: the code's 5 minutes and two resends. */
const PENDING_STEP_UP_MS = 15 * 60_000;

/**
 * A tool's call to the core system that failed because the core cannot answer now,
 * as a value the assistant replies to; any other error goes on as it was.
 */
function coreDown(err: unknown): { unavailable: string } {
  if (isCoreBankingUnavailable(err)) return { unavailable: err.failure };
  throw err;
}

/**
 * A confirmed change the core refused as it stands (a conflict: not enough money now,
 * the card already cancelled under another request), as a value the assistant
 * replies to; anything else goes on as it was.
 */
function refused(err: unknown): { refused: string } {
  if (err instanceof CoreBankingError && err.failure === "conflict") return { refused: err.failure };
  throw err;
}

/** What the customer said before this message, oldest first, masked (it goes into the trace and the bot's state). */
function customerTurns(history: HistoryTurn[]): string[] {
  return history.filter((t) => t.role === "customer").map((t) => redactText(t.text).text);
}
