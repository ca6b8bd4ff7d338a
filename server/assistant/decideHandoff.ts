import type { HandoffReason } from "../commands/handOff.ts";
import type { BotState } from "./types.ts";

export interface HandoffSignals {
  intent: { name: string; confidence: number; action: string };
  sentiment: { score: number; trend: "worsening" | "stable" | "improving" };
  botState: BotState;
  /** The customer rejected the previous answer in this message. */
  rejectedPrevious: boolean;
}

export interface HandoffDecision {
  needed: boolean;
  reason: HandoffReason | null;
}

/** Probability an intent needs before its action is taken on its own. */
export const INTENT_CONFIDENCE = 0.5;
/** A message this negative goes to a human whatever it asks. */
export const STRONG_NEGATIVE = -0.6;
/** With a worsening trend, this much negativity is enough. */
export const WORSENING_NEGATIVE = -0.3;
export const MAX_LOW_CONFIDENCE_TURNS = 2;
export const MAX_REJECTIONS = 2;

/**
 * Whether a human should take over, and why. A structured decision with a reason
 * code; the reply text is chosen elsewhere. Order matters: an explicit request or
 * a sensitive topic wins over mood, which wins over the bot's own failures.
 */
export function decideHandoff(s: HandoffSignals): HandoffDecision {
  const confident = s.intent.confidence >= INTENT_CONFIDENCE;
  if (confident && s.intent.name === "human_request") return { needed: true, reason: "explicit_request" };
  if (confident && s.intent.action === "handoff") return { needed: true, reason: "sensitive_topic" };
  if (s.sentiment.score <= STRONG_NEGATIVE) return { needed: true, reason: "negative_sentiment" };
  if (s.sentiment.trend === "worsening" && s.sentiment.score <= WORSENING_NEGATIVE) return { needed: true, reason: "negative_sentiment" };
  if (s.rejectedPrevious && (s.botState.rejections ?? 0) + 1 >= MAX_REJECTIONS) return { needed: true, reason: "rejected_answers" };
  return { needed: false, reason: null };
}

const REJECTION = [
  /\b(not|isn'?t|wasn'?t|doesn'?t|didn'?t)\b.{0,20}\b(what i (asked|meant|wanted)|help(ful|ing)?|answer|right|correct|it)\b/i,
  /\b(useless|wrong answer|that'?s wrong|you don'?t understand|makes no sense|irrelevant|no that'?s not)\b/i,
  /(没用|不是这个|答非所问|不对|没帮助|没有帮助|看不懂|不是我问的|说了等于没说|听不懂|沒用|不是我要的)/,
];

/** Whether a message rejects the assistant's previous answer ("that's not what I asked", "没用"). */
export function rejectsAnswer(text: string): boolean {
  return REJECTION.some((r) => r.test(text));
}
