import crypto from "node:crypto";
import type { Account, CoreBanking, Deposit } from "../../banking/CoreBanking.ts";
import type { Language } from "../language.ts";
import { money, say } from "../replies.ts";
import type { PendingConfirmation } from "../types.ts";
import { CONFIRM_TTL_MS, yesNo, type ConfirmedChange, type ToolOutcome } from "./outcome.ts";

type MakeUpPending = Extract<PendingConfirmation, { tool: "make_up_instalment" }>;

/**
 * The account a make-up is paid from: the everyday (current) account, which carries
 * the debit card and usually the monthly instalment too; a savings account only when
 * there is none. Never a credit account (the core refuses it).
 */
export function payingAccount(accounts: Account[]): Account | undefined {
  return accounts.find((a) => a.kind === "current") ?? accounts.find((a) => a.kind === "savings");
}

/**
 * Making up a missed month of a 零存整取 plan: one instalment paid now from the
 * everyday account. Proposes it with the amount and account; the customer's yes
 * carries it out with the key fixed here.
 */
export async function proposeMakeUpInstalment(
  banking: CoreBanking,
  customerId: string,
  lang: Language,
  text: string,
): Promise<ToolOutcome> {
  const plans = (await banking.deposits(customerId)).filter((d) => d.kind === "instalment" && d.monthly !== null);
  if (!plans.length) return { reply: say("noInstalmentPlan", lang) };
  const missed = plans.filter((d) => d.missedInstalments > 0);
  if (!missed.length) return { reply: say("noMissedInstalment", lang), data: { missed: 0 } };
  // Several plans behind: the customer picks one by its maturity date (what tells them apart in a reply).
  const plan = missed.length === 1 ? missed[0]! : missed.find((d) => text.includes(d.maturityOn));
  if (!plan) {
    return {
      reply: say("whichPlan", lang),
      quickReplies: missed.map((d) => ({
        label: `${money(d.monthly!)}/${lang === "zh" ? "月" : "month"}, ${d.maturityOn}`,
        text: lang === "zh" ? `补存零存整取 ${d.maturityOn}` : `make up the instalment of the plan maturing ${d.maturityOn}`,
      })),
    };
  }
  const from = payingAccount(await banking.accounts(customerId));
  if (!from) return { reply: say("noPayingAccount", lang) };
  const amount = plan.monthly!;
  const account = `${from.name} ${from.maskedNumber}`;
  if (from.balance < amount) {
    return { reply: say("notEnoughToMakeUp", lang, { account, balance: money(from.balance), amount: money(amount) }) };
  }
  return {
    reply: say("confirmMakeUp", lang, {
      monthly: money(amount),
      maturity: plan.maturityOn,
      missed: String(plan.missedInstalments),
      amount: money(amount),
      account,
    }),
    quickReplies: yesNo(lang),
    pendingConfirmation: {
      tool: "make_up_instalment",
      depositId: plan.id,
      fromAccountId: from.id,
      fromAccountName: account,
      amount,
      expiresAt: Date.now() + CONFIRM_TTL_MS,
      requestId: crypto.randomUUID(),
    },
  };
}

export async function confirmMakeUpInstalment(
  banking: CoreBanking,
  customerId: string,
  pending: MakeUpPending & { requestId: string },
  lang: Language,
): Promise<ConfirmedChange> {
  const plan: Deposit = await banking.makeUpInstalment(
    customerId,
    pending.depositId,
    { fromAccountId: pending.fromAccountId },
    { idempotencyKey: pending.requestId },
  );
  return {
    reply: say("madeUp", lang, {
      amount: money(pending.amount),
      account: pending.fromAccountName,
      paid: String(plan.paidInstalments ?? 0),
      missed: String(plan.missedInstalments),
      maturity: plan.maturityOn,
    }),
    target: `deposit:${pending.depositId}`,
    data: { depositId: plan.id, amount: pending.amount, paidInstalments: plan.paidInstalments, missedInstalments: plan.missedInstalments },
  };
}
