import type { Card } from "../../banking/CoreBanking.ts";
import type { Language } from "../language.ts";
import type { QuickReply } from "../types.ts";

/**
 * Which of the customer's cards a message means: "my debit card" / "信用卡" narrows
 * the choice, the last four digits name one; with one left it is that one, with
 * several the customer is asked (each quick reply repeats the request with a card's
 * last four, so the answer comes back through the same tool).
 */
export function chooseCard(
  cards: Card[],
  text: string,
  lang: Language,
  /** What a quick reply says for a card, e.g. "freeze 4321". */
  again: (last4: string) => string,
): { card: Card } | { ask: { reply: string; quickReplies: QuickReply[] } } {
  const kind = /debit|借记|儲蓄|储蓄/i.test(text) ? "debit" : /credit|信用/i.test(text) ? "credit" : undefined;
  const narrowed = kind && cards.some((c) => c.kind === kind) ? cards.filter((c) => c.kind === kind) : cards;
  const named = narrowed.find((c) => text.includes(c.last4));
  if (named) return { card: named };
  if (narrowed.length === 1) return { card: narrowed[0]! };
  return {
    ask: {
      reply: lang === "zh" ? "请选择要操作的银行卡：" : "Which card?",
      quickReplies: narrowed.map((c) => ({ label: `${c.product} •••• ${c.last4}`, text: again(c.last4) })),
    },
  };
}
