import type { Language } from "../language.ts";
import { say } from "../replies.ts";
import { actionText } from "../../stepup/codeMessage.ts";
import type { RiskLevel } from "../../../shared/wire/index.ts";
import type { Step } from "../turn.ts";
import type { AssistantInput, AssistantReply, BotState } from "../types.ts";

/** How long an action waits for its step-up: the code's 5 minutes and two resends. */
const PENDING_STEP_UP_MS = 15 * 60_000;

/** Whether an action of this risk needs a one-time code now: its level asks for one and none was passed within the window. */
export async function needsCode(input: AssistantInput, risk: RiskLevel | null): Promise<boolean> {
  if (!input.stepUp || !risk) return false;
  const s = await input.stepUp();
  return s.requires[risk] === "code" && !s.verified;
}

/**
 * Asks for a step-up before the tool: the action waits in the bot's state; the caller
 * sends the code and says where (this reply is what is said when it does not).
 */
export function askStepUp(
  reply: (r: { reply: string; botState: BotState; stepUp: AssistantReply["stepUp"] }) => AssistantReply,
  state: BotState,
  tool: string,
  risk: RiskLevel,
  text: string,
  language: Language,
  step: Step,
  /** What the customer reads the action called, for one of the bank's own tools (its label). */
  action?: string,
  /** The inputs of one of the bank's own tools read so far, carried to the resumed call. */
  params?: Record<string, unknown>,
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
      pendingStepUp: { tool, risk, text, language, expiresAt: Date.now() + PENDING_STEP_UP_MS, ...(params ? { params } : {}) },
    },
    stepUp: { tool, risk, ...(action ? { action } : {}) },
  });
}
