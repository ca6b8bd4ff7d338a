import { answerFromKnowledge, type AnsweringDeps } from "./answering/answerFromKnowledge.ts";
import { ANSWER_BEFORE_HANDOFF } from "./answering/confidence.ts";
import { decideHandoff, restatedQuestion, type HandoffSignals } from "./decideHandoff.ts";
import { handoffReply } from "./handoffReply.ts";
import { say } from "./replies.ts";
import type { Turn } from "./turn.ts";
import type { AssistantReply, BotState } from "./types.ts";

/**
 * Whether a person takes over after this message (decideHandoff), with the knowledge
 * base's answer first when it has one; and "that didn't answer my question" tried once
 * more. Null when the turn goes on to the bot's own steps.
 */
export async function handOffIfNeeded(
  deps: AnsweringDeps,
  turn: Turn,
  state: BotState,
  signals: Pick<HandoffSignals, "intent" | "sentiment" | "rejectedPrevious"> & { steer: string[] },
): Promise<AssistantReply | null> {
  const { input, text, step, reply } = turn;
  const { rejectedPrevious, steer } = signals;
  const decision = step(
    "handoff",
    () =>
      decideHandoff({
        text,
        intent: signals.intent,
        sentiment: signals.sentiment,
        botState: input.botState,
        rejectedPrevious,
        vulnerable: input.vulnerable,
      }),
    (d) => ({ ...d }),
  );
  if (decision.needed && (decision.unlessAnswered || decision.answerFirst)) {
    // A question about complaints or agents: the knowledge base may answer it, and then no one
    // need take over. An upset or sensitive message that asks something: the answer goes first,
    // and a person takes over. So does a question about complaints the guide answers less surely.
    const answered = await answerFromKnowledge(deps, turn, state, { steer, minConfidence: ANSWER_BEFORE_HANDOFF });
    if (!answered.declined && decision.unlessAnswered && !answered.tentative) return reply(answered);
    if (!answered.declined) return await handoffReply(turn, decision.reason!, state, { answer: answered });
  }
  if (decision.needed) return await handoffReply(turn, decision.reason!, state);

  // "That didn't answer my question": the next best passage for the same question, once;
  // a second rejection is handed off above.
  if (rejectedPrevious && input.botState.lastAnswer) {
    // "不是这个，我是问整存整取一年利率多少": the customer says what they meant, and that is answered.
    const restated = restatedQuestion(text);
    if (restated) {
      const answered = await answerFromKnowledge(deps, { ...turn, text: restated }, state, { steer, restated: true });
      return reply({ ...answered, answeredQuestion: restated });
    }
    const retry = await answerFromKnowledge(deps, turn, state, { again: input.botState.lastAnswer });
    if (!retry.declined) {
      const answeredQuestion = input.botState.lastAnswer.question;
      return reply({ ...retry, reply: `${say("anotherTry", turn.replyLanguage)}\n\n${retry.reply}`, answeredQuestion });
    }
    return await handoffReply(turn, "rejected_answers", state);
  }
  return null;
}
