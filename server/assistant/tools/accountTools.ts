import crypto from "node:crypto";
import type { CoreBanking } from "../../banking/CoreBanking.ts";
import type { RiskLevel } from "../../../shared/wire/index.ts";
import type { Language } from "../language.ts";
import { money, say } from "../replies.ts";
import type { PendingConfirmation } from "../types.ts";
import { chooseCard } from "./chooseCard.ts";
import { confirmDispute, proposeDispute, type DisputeCasesPort } from "./disputeTransaction.ts";
import { explainTransaction } from "./explainTransaction.ts";
import { confirmMakeUpInstalment, proposeMakeUpInstalment } from "./makeUpInstalment.ts";
import { CONFIRM_TTL_MS, yesNo, type ConfirmedChange, type ToolOutcome } from "./outcome.ts";
import { confirmReportCardLost, proposeReportCardLost } from "./reportCardLost.ts";

export type { ToolOutcome } from "./outcome.ts";

export const TOOL_NAMES = [
  "balance",
  "transactions",
  "freeze_card",
  "unfreeze_card",
  "deposits",
  "report_card_lost",
  "make_up_instalment",
  "explain_transaction",
  "dispute_transaction",
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/**
 * Each tool's risk: an inbox's step-up settings (InboxSettings.stepUp) say whether a
 * level needs the signed page identity alone or a one-time code too.
 * - low: balances and deposits. Amounts a customer sees on any ATM slip; nothing moves.
 * - medium: transactions and one transaction's details. Who they pay, where and when —
 *   a profile of their life, and the answers to the security questions banks ask.
 * - high: every tool that changes something. Freezing too: it is a write, and the
 *   same tool unfreezes (undoing a victim's protection); a customer who cannot get a
 *   code can still freeze in the app or by phone, which the assistant says.
 */
export const TOOL_RISK: Record<ToolName, RiskLevel> = {
  balance: "low",
  deposits: "low",
  transactions: "medium",
  explain_transaction: "medium",
  freeze_card: "high",
  unfreeze_card: "high",
  report_card_lost: "high",
  make_up_instalment: "high",
  dispute_transaction: "high",
};

/** A transaction's date as ISO (2026-03-09): read the same way in both languages. */
const fmtDate = (d: Date | string) => (typeof d === "string" ? d : d.toISOString().slice(0, 10));

/**
 * The account tools. Each reads through CoreBanking for a verified customer id that
 * the caller passes; none can be reached for an anonymous visitor. Tools that change
 * something (freeze, unfreeze, report lost, make up an instalment) only prepare a
 * confirmation here; `confirmChange` carries it out after the customer says yes.
 */
export async function runTool(
  banking: CoreBanking,
  tool: ToolName,
  customerId: string,
  lang: Language,
  text: string,
): Promise<ToolOutcome> {
  switch (tool) {
    case "balance": {
      const accounts = await banking.accounts(customerId);
      const lines = accounts.map((a) =>
        a.kind === "credit"
          ? `- **${a.name}** ${a.maskedNumber}: ${lang === "zh" ? "欠款" : "owed"} ${money(-a.balance)}${a.creditLimit ? ` (${lang === "zh" ? "额度" : "limit"} ${money(a.creditLimit)})` : ""}`
          : `- **${a.name}** ${a.maskedNumber}: ${money(a.balance)}`,
      );
      return { reply: `${say("balances", lang)}\n${lines.join("\n")}`, data: { accounts: accounts.length } };
    }
    case "transactions": {
      const tx = (await banking.transactions(customerId, { limit: 5 })).items;
      const lines = tx.map(
        (t) => `- ${fmtDate(t.postedAt)} ${t.description} (${t.accountName}): ${t.amount > 0 ? "+" : ""}${money(t.amount)}`,
      );
      return { reply: `${say("transactions", lang)}\n${lines.join("\n")}`, data: { transactions: tx.length } };
    }
    case "deposits": {
      const deps = await banking.deposits(customerId);
      if (!deps.length) return { reply: say("noDeposits", lang) };
      const lines = deps.map((d) =>
        d.kind === "instalment"
          ? lang === "zh"
            ? `- **零存整取** 每月 ${money(d.monthly ?? 0)}，${d.termMonths / 12} 年期，年利率 ${d.ratePercent}%，已存 ${d.paidInstalments} 期${d.missedInstalments ? `，漏存 ${d.missedInstalments} 期（下月内补存即可，累计漏存两期视为违约）` : ""}，到期日 ${d.maturityOn}，预计利息 ${money(d.expectedInterest)}`
            : `- **Instalment savings (零存整取)** ${money(d.monthly ?? 0)}/month for ${d.termMonths / 12} years at ${d.ratePercent}%: ${d.paidInstalments} paid${d.missedInstalments ? `, ${d.missedInstalments} missed (make it up next month; two missed months breach the plan)` : ""}; matures ${d.maturityOn}, expected interest ${money(d.expectedInterest)}`
          : lang === "zh"
            ? `- **整存整取** ${money(d.principal)}，${d.termMonths} 个月，年利率 ${d.ratePercent}%，到期日 ${d.maturityOn}，预计利息 ${money(d.expectedInterest)}${d.autoRollover ? "，到期自动转存" : ""}`
            : `- **Time deposit** ${money(d.principal)} for ${d.termMonths} months at ${d.ratePercent}%: matures ${d.maturityOn}, expected interest ${money(d.expectedInterest)}${d.autoRollover ? ", renews automatically" : ""}`,
      );
      return { reply: `${say("deposits", lang)}\n${lines.join("\n")}`, data: { deposits: deps.length } };
    }
    case "freeze_card":
    case "unfreeze_card": {
      const want = tool === "freeze_card" ? "active" : "frozen";
      const all = (await banking.cards(customerId)).filter((c) => c.status === want);
      if (!all.length) return { reply: say("noCards", lang) };
      const choice = chooseCard(
        all,
        text,
        lang,
        (last4) => `${tool === "freeze_card" ? (lang === "zh" ? "冻结" : "freeze") : lang === "zh" ? "解冻" : "unfreeze"} ${last4}`,
      );
      if ("ask" in choice) return choice.ask;
      const { card } = choice;
      return {
        reply: say(tool === "freeze_card" ? "confirmFreeze" : "confirmUnfreeze", lang, { last4: card.last4 }),
        quickReplies: yesNo(lang),
        pendingConfirmation: {
          tool,
          cardId: card.id,
          last4: card.last4,
          expiresAt: Date.now() + CONFIRM_TTL_MS,
          requestId: crypto.randomUUID(),
        },
      };
    }
    case "report_card_lost":
      return await proposeReportCardLost(banking, customerId, lang, text);
    case "make_up_instalment":
      return await proposeMakeUpInstalment(banking, customerId, lang, text);
    case "explain_transaction":
      return await explainTransaction(banking, customerId, lang, text);
    case "dispute_transaction":
      return await proposeDispute(banking, customerId, lang, text);
  }
}

const YES =
  /^\s*(y|yes|yeah|yep|ok|okay|sure|confirm|go ahead|do it|please do|yes,? go ahead|是|是的|好|好的|确认|確認|对|對|可以|冻结吧|嗯)\s*[.!。！]?\s*$/i;
const NO = /^\s*(n|no|nope|cancel|stop|don'?t|no,? cancel|不|不要|取消|算了|不用)\s*[.!。！]?\s*$/i;

export function confirmationAnswer(text: string): "yes" | "no" | null {
  if (YES.test(text)) return "yes";
  if (NO.test(text)) return "no";
  return null;
}

/** Carries out a change the customer confirmed, under the key fixed when it was proposed. */
export async function confirmChange(
  banking: CoreBanking,
  customerId: string,
  pending: Exclude<PendingConfirmation, { tool: "custom" }>,
  lang: Language,
  /** Where a dispute's case is opened, and the conversation it is linked to. */
  cases: { disputes?: DisputeCasesPort; conversationId?: string } = {},
): Promise<ConfirmedChange> {
  switch (pending.tool) {
    case "freeze_card":
    case "unfreeze_card": {
      // A confirmation proposed before keys were kept in it: one derived from what it proposed, as stable.
      const idempotencyKey =
        pending.requestId ??
        crypto
          .createHash("sha256")
          .update(`${customerId}|${pending.tool}|${pending.cardId}|${pending.expiresAt}`)
          .digest("hex")
          .slice(0, 32);
      const card = await banking.setCardStatus(customerId, pending.cardId, pending.tool === "freeze_card" ? "frozen" : "active", {
        idempotencyKey,
      });
      return {
        reply: say(pending.tool === "freeze_card" ? "frozen" : "unfrozen", lang, { last4: card.last4 }),
        target: `card:${pending.last4}`,
        data: { cardId: card.id, status: card.status },
      };
    }
    case "report_card_lost":
      return await confirmReportCardLost(banking, customerId, { ...pending, requestId: keyOf(pending) }, lang);
    case "make_up_instalment":
      return await confirmMakeUpInstalment(banking, customerId, { ...pending, requestId: keyOf(pending) }, lang);
    case "dispute_transaction":
      return await confirmDispute(
        banking,
        cases.disputes,
        customerId,
        cases.conversationId,
        { ...pending, requestId: keyOf(pending) },
        lang,
      );
  }
}

/** These changes were always proposed with a key; one missing means a state we did not write. */
function keyOf(pending: PendingConfirmation): string {
  if (!pending.requestId) throw new Error(`A ${pending.tool} confirmation without its idempotency key`);
  return pending.requestId;
}
