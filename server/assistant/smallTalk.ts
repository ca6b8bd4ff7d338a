import { say } from "./replies.ts";
import { talkToPerson, type Turn } from "./turn.ts";
import type { AssistantReply, BotState } from "./types.ts";

const SMALLTALK: Record<string, "greeting" | "thanks"> = { greeting: "greeting", thanks_goodbye: "thanks" };

/** A greeting or a thank-you, answered in kind; null for anything else. */
export function smallTalk(
  turn: Pick<Turn, "replyLanguage" | "reply">,
  intent: { name: string; confidence: number },
  state: BotState,
): AssistantReply | null {
  const small = intent.confidence >= 0.5 ? SMALLTALK[intent.name] : undefined;
  if (!small) return null;
  return turn.reply({
    reply: say(small, turn.replyLanguage),
    botState: { ...state, lastAction: "smalltalk" },
    quickReplies: [talkToPerson(turn.replyLanguage)],
  });
}
