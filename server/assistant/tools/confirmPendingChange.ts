import type { CoreBanking } from "../../banking/CoreBanking.ts";
import { CoreBankingError } from "../../banking/errors.ts";
import { handoffReply } from "../handoffReply.ts";
import { say } from "../replies.ts";
import { talkToPerson, type Turn } from "../turn.ts";
import type { AssistantReply, BotState, PendingConfirmation } from "../types.ts";
import { confirmationAnswer, confirmChange, TOOL_RISK } from "./accountTools.ts";
import { askStepUp, needsCode } from "./askStepUp.ts";
import { customPurpose, type CustomToolsPort } from "./customToolTurn.ts";
import type { DisputeCasesPort } from "./disputeTransaction.ts";
import { confirmCustomChange } from "./runCustomTool.ts";
import { coreDown } from "./useAccountTool.ts";

/**
 * The customer's yes or no to a change the bot proposed (a card change, a make-up
 * payment, one of the bank's tools): carried out exactly as proposed, or cancelled.
 * Null when the message is neither (the proposal is then dropped by the caller).
 */
export async function confirmPendingChange(
  deps: { banking: CoreBanking; customTools?: CustomToolsPort; disputes?: DisputeCasesPort },
  turn: Turn,
  state: BotState,
  pending: PendingConfirmation,
): Promise<AssistantReply | null> {
  const { input, text, language, step, reply } = turn;
  if (!(input.verifiedCustomerId && pending.expiresAt > Date.now())) return null;
  const answer = confirmationAnswer(text);
  if (!answer) return null;
  const next: BotState = { ...state, pendingConfirmation: undefined, lastAction: "tool" };
  if (answer === "no") return reply({ reply: say("cancelled", language), botState: next });
  const risk = pending.tool === "custom" ? ("high" as const) : TOOL_RISK[pending.tool];
  const purpose = pending.tool === "custom" ? customPurpose(pending.name) : pending.tool;
  // The step-up lapsed between the proposal and the yes (its window is per
  // conversation): the code comes first, then the change is proposed again.
  if (await needsCode(input, risk)) {
    // A bank tool is named by its label, as when it was proposed.
    const label =
      pending.tool === "custom"
        ? (await deps.customTools?.enabled())?.find((t) => t.name === pending.name)?.definition.label[language]
        : undefined;
    return askStepUp(reply, { ...next, lastAction: undefined }, purpose, risk, pending.request ?? "", language, step, label);
  }
  if (pending.tool === "custom") return await confirmCustomChange(deps.customTools, turn, pending, next);
  const done = await step(
    "tool",
    () =>
      confirmChange(deps.banking, input.verifiedCustomerId!, pending, language, {
        disputes: deps.disputes,
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
    return await handoffReply(turn, "core_banking_unavailable", next, { lead: say("coreBusy", language) });
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

/**
 * A confirmed change the core refused as it stands (a conflict: not enough money now,
 * the card already cancelled under another request), as a value the assistant
 * replies to; anything else goes on as it was.
 */
function refused(err: unknown): { refused: string } {
  if (err instanceof CoreBankingError && err.failure === "conflict") return { refused: err.failure };
  throw err;
}
