import type { Language } from "../assistant/language.ts";

/**
 * What each action is called where a customer reads it (the text with the code, the
 * chat's request for it): they must know what they are confirming, so that a code
 * asked for something else — a fraudster on the phone "from the bank" — looks wrong.
 */
const ACTIONS: Record<string, { en: string; zh: string }> = {
  balance: { en: "see your balances", zh: "查询余额" },
  transactions: { en: "see your recent transactions", zh: "查询近期交易" },
  deposits: { en: "see your deposits", zh: "查询存款" },
  explain_transaction: { en: "see a transaction's details", zh: "查询交易详情" },
  freeze_card: { en: "freeze your card", zh: "冻结银行卡" },
  unfreeze_card: { en: "unfreeze your card", zh: "解冻银行卡" },
  report_card_lost: { en: "report your card lost", zh: "挂失银行卡" },
  make_up_instalment: { en: "make up a missed instalment", zh: "补存零存整取" },
  dispute_transaction: { en: "open a dispute about a payment", zh: "申诉交易" },
};

export function actionText(purpose: string, lang: Language): string {
  const known = ACTIONS[purpose]?.[lang];
  if (known) return known;
  // One of the bank's own tools (customTools/, purpose "custom:<name>"): named by its name,
  // which is what an admin reads in the audit log too ("track card delivery").
  if (purpose.startsWith("custom:")) {
    const name = purpose.slice("custom:".length).replace(/_/g, " ");
    return lang === "zh" ? `使用“${name}”服务` : `use “${name}”`;
  }
  return lang === "zh" ? "继续操作" : "go ahead";
}

/** The text or e-mail that carries a code. It names the action and warns against sharing it. */
export function codeMessage(
  code: string,
  purpose: string,
  lang: Language,
  ttlMinutes: number,
  /** The bank tool's label, when the action is one of its own tools ("track your card delivery"). */
  label?: string,
): { subject: string; text: string } {
  const action = label ?? actionText(purpose, lang);
  return lang === "zh"
    ? {
        subject: "您的验证码",
        text: `验证码 ${code}，用于在线客服中${action}，${ttlMinutes} 分钟内有效。请勿告诉任何人，银行工作人员不会向您索要验证码。`,
      }
    : {
        subject: "Your one-time code",
        text: `${code} is your code to ${action} in our chat. It expires in ${ttlMinutes} minutes. Never share it: bank staff will never ask you for it.`,
      };
}
