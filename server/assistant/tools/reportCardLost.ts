import crypto from "node:crypto";
import type { CoreBanking } from "../../banking/CoreBanking.ts";
import type { Language } from "../language.ts";
import { say } from "../replies.ts";
import type { PendingConfirmation } from "../types.ts";
import { chooseCard } from "./chooseCard.ts";
import { CONFIRM_TTL_MS, yesNo, type ConfirmedChange, type ToolOutcome } from "./outcome.ts";

type ReportPending = Extract<PendingConfirmation, { tool: "report_card_lost" }>;

const STOLEN = /stol|steal|theft|thief|rob|pickpocket|mugged|偷|盗|盜|抢|搶|扒/i;
/** "Cancel it, I don't need a new one": reported without a replacement. */
const NO_REPLACEMENT =
  /\b(no|without( a)?|don'?t (want|need)( a)?) (replacement|new (one|card))\b|不(用|要|需要)补|不补|不用新卡|不要新卡|不需要新卡/i;

/**
 * Reporting a card lost or stolen: cancels it for good and orders a replacement.
 * Proposes it (permanent, so said plainly) for one card, frozen or not; the customer's
 * yes carries it out with the key fixed here.
 */
export async function proposeReportCardLost(banking: CoreBanking, customerId: string, lang: Language, text: string): Promise<ToolOutcome> {
  // A frozen card can be reported too (freezing is often the first step); a cancelled one is gone.
  const cards = (await banking.cards(customerId)).filter((c) => c.status !== "cancelled");
  if (!cards.length) return { reply: say("noCards", lang) };
  const reason = STOLEN.test(text) ? "stolen" : "lost";
  const orderReplacement = !NO_REPLACEMENT.test(text);
  const choice = chooseCard(cards, text, lang, (last4) =>
    lang === "zh" ? `挂失补卡 ${last4}` : `report card ${last4} ${reason} and replace it`,
  );
  if ("ask" in choice) return choice.ask;
  const { card } = choice;
  const reasonWord = lang === "zh" ? "" : reason;
  return {
    reply: say(orderReplacement ? "confirmReportLost" : "confirmReportLostOnly", lang, { last4: card.last4, reason: reasonWord }),
    quickReplies: yesNo(lang),
    pendingConfirmation: {
      tool: "report_card_lost",
      cardId: card.id,
      last4: card.last4,
      reason,
      orderReplacement,
      expiresAt: Date.now() + CONFIRM_TTL_MS,
      requestId: crypto.randomUUID(),
    },
  };
}

export async function confirmReportCardLost(
  banking: CoreBanking,
  customerId: string,
  pending: ReportPending & { requestId: string },
  lang: Language,
): Promise<ConfirmedChange> {
  const r = await banking.reportCardLost(
    customerId,
    pending.cardId,
    { reason: pending.reason, orderReplacement: pending.orderReplacement },
    { idempotencyKey: pending.requestId },
  );
  const reply = r.replacementLast4
    ? say("reportedLost", lang, {
        last4: r.card.last4,
        newLast4: r.replacementLast4,
        delivery: r.estimatedDeliveryOn ? say("deliveryBy", lang, { date: r.estimatedDeliveryOn }) : "",
      })
    : say("reportedLostOnly", lang, { last4: r.card.last4 });
  return {
    reply,
    target: `card:${pending.last4}`,
    data: {
      cardId: r.card.id,
      status: r.card.status,
      reason: pending.reason,
      replacement: r.status,
      replacementLast4: r.replacementLast4,
      estimatedDeliveryOn: r.estimatedDeliveryOn,
    },
  };
}
