import { redactText } from "../privacy/redact.ts";
import { say } from "./replies.ts";
import { wordHours } from "../../shared/serviceHours.ts";
import { summarizeForHandoff, teamForIntent } from "./summarizeForHandoff.ts";
import type { Turn } from "./turn.ts";
import type { AssistantReply, BotState, Citation } from "./types.ts";

/**
 * The reply that hands the conversation to a person: what happens next (open, queued or
 * closed), a word of sympathy when it is due, and the summary and team the agent sees.
 */
export async function handoffReply(
  turn: Pick<Turn, "input" | "replyLanguage" | "reply" | "intentName" | "sentimentLabel">,
  reason: NonNullable<AssistantReply["handoff"]["reason"]>,
  state: BotState,
  opts: { lead?: string; answer?: { reply: string; citations?: Citation[] } } = {},
): Promise<AssistantReply> {
  const { input, replyLanguage: language, intentName, sentimentLabel } = turn;
  const a = (await input.availability?.()) ?? { agentsOnline: true, withinHours: true };
  // Outside service hours, say when we open; within them with nobody free, say it is queued.
  const next = !a.withinHours
    ? say("handoffOffline", language, { hours: a.hours ? say("hours", language, { hours: wordHours(a.hours, language) }) : "" })
    : a.agentsOnline
      ? say("handoffOnline", language)
      : say("handoffBusy", language);
  // An upset customer, or one with a sensitive matter, hears a word of sympathy first.
  const upset = reason === "negative_sentiment" || reason === "sensitive_topic" || reason === "complaint" || sentimentLabel === "negative";
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
  return turn.reply({
    reply: message,
    citations: opts.answer?.citations,
    handoff: { needed: true, reason, summary, team: teamForIntent(intentName) },
    botState: { ...state, lastAction: undefined },
  });
}
