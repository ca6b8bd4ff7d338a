import type { Language } from "./language.ts";
import type { ReplyLanguage } from "./replyLanguage.ts";
import { say } from "./replies.ts";
import type { AssistantInput, AssistantReply, BotState, Citation, QuickReply, TraceEntry } from "./types.ts";

/** Runs one step of a turn and appends its trace entry. */
export type Step = <T>(name: string, fn: () => T, detail: (r: Awaited<T>) => Record<string, unknown>) => T;

/** Builds a reply from its parts (respond's `reply`): the message as read, the trace, and what this step says. */
export type ReplyFn = (r: {
  reply: string;
  citations?: Citation[];
  quickReplies?: QuickReply[];
  handoff?: AssistantReply["handoff"];
  botState?: BotState;
  sideEffect?: AssistantReply["sideEffect"];
  stepUp?: AssistantReply["stepUp"];
  answeredQuestion?: string;
}) => AssistantReply;

/** What the steps of one customer turn share: the message as read, and how a step traces and replies. */
export interface Turn {
  input: AssistantInput;
  /** The customer's message, redacted: what is traced, kept in the bot's state and sent to models. */
  text: string;
  language: Language;
  /** What the assistant's own sentences are written in: the language, and for Chinese the customer's script. */
  replyLanguage: ReplyLanguage;
  step: Step;
  reply: ReplyFn;
  /** The recognised intent and the message's mood, for a handoff's summary and team. */
  intentName: string;
  sentimentLabel: string;
}

/** Runs a pipeline step and appends its trace entry (name, time taken, what it found). */
export function tracer(trace: TraceEntry[]): Step {
  return (name, fn, detail) => {
    const t0 = performance.now();
    const r = fn();
    const record = (v: Awaited<ReturnType<typeof fn>>) =>
      trace.push({ step: name, ms: Math.round((performance.now() - t0) * 100) / 100, ...detail(v) });
    if (r instanceof Promise) return r.then((v) => (record(v), v)) as ReturnType<typeof fn>;
    record(r as Awaited<ReturnType<typeof fn>>);
    return r;
  };
}

export function talkToPerson(language: ReplyLanguage): QuickReply {
  return { label: say("talkToPerson", language), text: say("talkToPerson", language) };
}
