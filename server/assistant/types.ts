import type { Language } from "./language.ts";
import type { ChineseScript, ReplyLanguage } from "./replyLanguage.ts";
import type { HandoffReason } from "../commands/handOff.ts";
import type { InboxAvailability, RiskLevel, StepUpRequirement } from "../../shared/wire/index.ts";

export interface TraceEntry {
  step: string;
  ms: number;
  [k: string]: unknown;
}

export interface Citation {
  path: string;
  title: string;
  heading: string;
  url: string;
}

/** A section of the guide offered after a decline (answering/suggestSections.ts), by the label on its button. */
export interface SectionSuggestion {
  label: string;
  passageId: string;
  path: string;
}

export interface QuickReply {
  label: string;
  text: string;
}

/** What the assistant keeps between turns of one conversation (conversations.bot_state). */
export interface BotState {
  sentimentScores?: number[];
  /** The Chinese script the customer last wrote in (replyLanguage): kept through messages that show neither. */
  chineseScript?: ChineseScript;
  /** Consecutive turns the assistant could not answer. */
  lowConfidenceTurns?: number;
  /** Answers the customer rejected. */
  rejections?: number;
  lastAction?: "answer" | "decline" | "tool" | "smalltalk" | "confirm";
  /**
   * The question the last answer answered (with the earlier turns it leaned on) and
   * the passages used so far: "that didn't answer my question" tries the next one.
   */
  lastAnswer?: { question: string; context?: string; passageIds: string[] };
  /** A tool call that changes something, waiting for the customer's yes. */
  pendingConfirmation?: PendingConfirmation;
  /** An account tool waiting for the customer's one-time code (step-up verification). */
  pendingStepUp?: PendingStepUp;
  /** One of the bank's own tools waiting for an input the assistant asked the customer for. */
  pendingCustomTool?: PendingCustomTool;
  /**
   * The bank's tools a message fitted, offered by their labels for the customer to
   * choose; the message itself (its inputs still count once a tool is chosen).
   */
  pendingToolChoice?: { names: string[]; request: string; language: Language; expiresAt: number };
  /**
   * After a decline: the sections of the guide the question came closest to, offered
   * for the customer to tap, and the question (with the turns it leaned on) that the
   * tapped one answers.
   */
  pendingSuggestions?: { question: string; context?: string; options: SectionSuggestion[]; language: ReplyLanguage; expiresAt: number };
}

/**
 * A custom tool (customTools/) the customer asked for, missing a required input: the
 * inputs read so far and the one asked for. The customer's own values, kept in the
 * conversation's state like their words; never written to the audit log.
 */
export interface PendingCustomTool {
  name: string;
  version: number;
  params: Record<string, unknown>;
  asking: string;
  /** The language the input was asked in: "SF12345678" alone says nothing of it. */
  language: Language;
  /** The customer's answer did not fit once already: the next miss gives up. */
  retried?: boolean;
  expiresAt: number;
}

/**
 * An account tool the customer asked for that needs a step-up first: what to run once
 * the code is verified (the customer's words, masked, pick the card or plan).
 */
export interface PendingStepUp {
  tool: string;
  risk: RiskLevel;
  /** The request, masked (redacted) as every message the assistant reads. */
  text: string;
  language: Language;
  expiresAt: number;
  /**
   * One of the bank's own tools: the inputs already read for it (from the customer's
   * unmasked words, a model's checked arguments, or the message before a choice), so
   * the step-up does not make the customer give them again. Kept in the conversation's
   * state like PendingCustomTool's; never in the audit log.
   */
  params?: Record<string, unknown>;
  /** The challenge whose code resumes it (set by the caller once the code is sent). */
  challengeId?: string;
}

/**
 * A change the assistant proposed and the customer has not yet confirmed: what it
 * will do, fixed when it was proposed, so the "yes" carries out exactly that.
 */
export type PendingConfirmation = (
  | { tool: "freeze_card" | "unfreeze_card"; cardId: string; last4: string }
  | { tool: "report_card_lost"; cardId: string; last4: string; reason: "lost" | "stolen"; orderReplacement: boolean }
  | { tool: "make_up_instalment"; depositId: string; fromAccountId: string; fromAccountName: string; amount: number }
  /** A payment the customer disputes, as proposed to them (no card numbers: the case is opened from these). */
  | {
      tool: "dispute_transaction";
      transactionId: string;
      amount: number;
      currency: string;
      merchant: string;
      date: string;
      accountName: string;
      cardKind: "debit" | "credit" | null;
    }
  /** One of the bank's own tools that changes something, at the version proposed, with the inputs confirmed. */
  | { tool: "custom"; name: string; version: number; params: Record<string, unknown> }
) & {
  expiresAt: number;
  /** The customer's request (masked) that proposed it: asked again if the step-up lapsed before the yes. */
  request?: string;
  /**
   * The change's idempotency key for the core system, fixed when it is proposed: a
   * retried reply job carrying it out again is the same one change there. (Optional
   * only for freezes proposed before keys were kept.)
   */
  requestId?: string;
};

export interface HistoryTurn {
  role: "customer" | "assistant" | "agent";
  text: string;
}

export interface AssistantInput {
  text: string;
  /** The bank's customer id when the widget identity was verified (HMAC); otherwise null. */
  verifiedCustomerId: string | null;
  botState: BotState;
  history: HistoryTurn[];
  /**
   * Whether humans can pick the conversation up now, for what the handoff message
   * promises. A function: it costs a query, and only a handoff needs it.
   */
  availability?: () => Promise<Pick<InboxAvailability, "agentsOnline" | "withinHours" | "hours">>;
  /** Tokens of the answer as it is generated (LLM generator). */
  onToken?: (delta: string) => void;
  /**
   * Step-up verification: what the inbox needs for each risk level, and whether the
   * customer passed a step-up in this conversation within its window. A function: only
   * account tools need it. Without it (the CLI, run by the bank's own staff) the page
   * identity is enough.
   */
  stepUp?: () => Promise<{ requires: Record<RiskLevel, StepUpRequirement>; verified: boolean }>;
  /** The conversation, for the audit log of the bank's own tools' calls. */
  conversationId?: string;
  /**
   * An agent recorded the customer as vulnerable (bereavement, illness...; contacts/):
   * sensitive matters and any upset go to a person sooner. Given by the caller.
   */
  vulnerable?: boolean;
}

export interface AssistantReply {
  reply: string;
  language: Language;
  sentiment: { label: "negative" | "neutral" | "positive"; score: number; trend: "worsening" | "stable" | "improving" };
  intent: { name: string; confidence: number; action: string };
  citations: Citation[];
  handoff: { needed: boolean; reason: HandoffReason | null; summary?: string; team?: string };
  quickReplies: QuickReply[];
  botState: BotState;
  trace: TraceEntry[];
  /** The redacted customer text: what was logged and sent to models. */
  redactedText: string;
  /**
   * The reply asks for a one-time code before this tool runs: the caller opens the
   * challenge and sends the code (requestStepUp), and says where it went.
   */
  /** A one-time code is needed first; `action` is what the customer reads the action called (a bank tool's label). */
  stepUp?: { tool: string; risk: RiskLevel; action?: string };
  /** A tool that ran and changed something (written to the audit log by the caller). */
  sideEffect?: { tool: string; target: string; result: string };
  /**
   * The message rejected the previous answer ("that didn't answer my question"): the
   * caller records it as the customer's verdict on that answer (not helpful, in words).
   */
  rejectedAnswer: boolean;
  /**
   * The question this reply answers when it is not the message it replies to: another
   * try after "that didn't answer my question" answers the question asked before (masked).
   */
  answeredQuestion?: string;
}

/** What resuming after a step-up answers: the tool's reply, or that the core could not be reached. */
export type ResumedReply =
  | { reply: string; quickReplies: QuickReply[]; language: Language; botState: BotState; trace: TraceEntry[] }
  | {
      unavailable: true;
      language: Language;
      botState: BotState;
      trace: TraceEntry[];
      /** One of the bank's own tools failed (what the customer calls it), rather than the core. */
      failedTool?: string;
    };
