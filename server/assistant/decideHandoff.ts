import type { HandoffReason } from "../commands/handOff.ts";
import type { BotState } from "./types.ts";

export interface HandoffSignals {
  /** The (redacted) message, to tell a question about a topic from a request. */
  text: string;
  intent: { name: string; confidence: number; action: string };
  sentiment: { score: number; trend: "worsening" | "stable" | "improving" };
  botState: BotState;
  /** The customer rejected the previous answer in this message. */
  rejectedPrevious: boolean;
}

export interface HandoffDecision {
  needed: boolean;
  reason: HandoffReason | null;
  /**
   * The message asks *about* a handoff topic ("how long do complaints take?", "人工客服几点上班")
   * rather than raising one: answer it from the knowledge base when it can, hand off otherwise.
   */
  unlessAnswered?: boolean;
}

/** Probability an intent needs before its action is taken on its own. */
export const INTENT_CONFIDENCE = 0.5;
/** Enough for a human request worded as a request. */
export const REQUEST_CONFIDENCE = 0.3;
/** A message this negative goes to a human whatever it asks. */
export const STRONG_NEGATIVE = -0.5;
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
  const asking = isInformationQuestion(s.text) && s.sentiment.score > STRONG_NEGATIVE;
  // Phrased as a request ("get me your manager"), a less certain human_request still counts.
  const wantsHuman =
    s.intent.name === "human_request" && (confident || (s.intent.confidence >= REQUEST_CONFIDENCE && REQUEST.test(s.text)));
  // "Is there someone I can talk to?" asks for a person; "is customer service open at
  // weekends?" and "when can I call the hotline?" ask about them.
  if (wantsHuman)
    return { needed: true, reason: "explicit_request", unlessAnswered: asking && (asksAboutService(s.text) || !PERSONAL.test(s.text)) };
  if (confident && s.intent.action === "handoff") return { needed: true, reason: "sensitive_topic", unlessAnswered: asking };
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

const EN_QUESTION = /^\s*(what|when|where|which|who|how|is|are|do|does|can|could|will|would|should|may)\b/i;
const ZH_QUESTION = /(吗|么|多久|几点|哪些|哪里|哪儿|有没有|是否|怎么|怎样|如何|什么时候|多少|几天)/;
// Wanting something done is a request, however it is phrased.
const REQUEST =
  /\b(i want|i need|i'd like|i would like|let me|get me|put me|connect me|transfer me|help me|i wish to|i'm going to|please)\b|(我要|我想|帮我|给我|请你|麻烦|马上|立刻|立即)/i;
const FIRST_PERSON_PROBLEM =
  /\b(my|me|i)\b.*\b(stolen|scammed|lost|died|passed away|can'?t pay|hacked|unauthori[sz]ed|fraud)\b|我的.*(被|丢|盗|骗)|我(被|丢)/i;

// When, where, how long, which number: details of the human service, which the knowledge base may hold.
const SERVICE_DETAIL =
  /\b(when|what time|hours?|open|opening|closed?|phone|number|hotline|how long|wait(ing)? time|cost|charge|fee)\b|(几点|时间|电话|号码|热线|多久|多长时间|上班|下班|营业|收费)/i;

// The customer's own case, here and now: "who can I speak to", "call me", "look at this", "在线".
const PERSONAL = /\b(i|me|my|this|now|live|online)\b|(我|现在|在线|马上)/i;

/** Whether a message asks for details of the human service rather than for a human. */
export function asksAboutService(text: string): boolean {
  return SERVICE_DETAIL.test(text);
}

/** An information question with no request or first-person problem in it. */
export function isInformationQuestion(text: string): boolean {
  const t = text.trim();
  const question = /[?？]\s*$/.test(t) || EN_QUESTION.test(t) || ZH_QUESTION.test(t);
  return question && !REQUEST.test(t) && !FIRST_PERSON_PROBLEM.test(t);
}
