import crypto from "node:crypto";
import type { CoreBanking, Transaction } from "../../banking/CoreBanking.ts";
import type { DisputeCaseRequest, OpenedDispute } from "../../cases/openDisputeCase.ts";
import { formatDate } from "../../cases/caseText.ts";
import type { Language } from "../language.ts";
import type { ReplyLanguage } from "../replyLanguage.ts";
import { money, say } from "../replies.ts";
import type { PendingConfirmation, QuickReply } from "../types.ts";
import { amountIn, descriptionWords, isoDay, matchTransactions, recentTransactions } from "./explainTransaction.ts";
import { CONFIRM_TTL_MS, yesNo, type ConfirmedChange, type ToolOutcome } from "./outcome.ts";

type DisputePending = Extract<PendingConfirmation, { tool: "dispute_transaction" }>;

/** What the assistant needs of complaint cases: a dispute opened (cases/openDisputeCase.ts), idempotent by its key. */
export interface DisputeCasesPort {
  open(request: DisputeCaseRequest): Promise<OpenedDispute>;
}

/** Transactions offered to choose from when several match. */
const CHOICES = 5;

/** Words that ask for a dispute itself, rather than what to do about a strange payment. */
const DISPUTE_WORDS = /\bdisput|charge-?back|\bcharge back\b/i;
/**
 * In Chinese the words are wider: 申诉 is also a complaint or an appeal ("提申诉之后多久给编号"),
 * 异议 an objection to a credit report. They ask for a dispute only about a payment.
 */
const ZH_DISPUTE_WORDS = /申诉|申訴|争议|爭議|异议|異議|拒付|追回/;
const ZH_PAYMENT = /交易|消费|消費|扣款|扣费|扣費|刷卡|支付|付款|这笔|這筆|一笔|一筆|\d+\s*(元|块)/;

/** The customer asks, in so many words, to dispute a payment ("I want to dispute it", "申诉这笔"). */
export const asksToDispute = (text: string): boolean => {
  const t = text.normalize("NFKC");
  return DISPUTE_WORDS.test(t) || (ZH_DISPUTE_WORDS.test(t) && ZH_PAYMENT.test(t));
};

/**
 * Whether a message about an unrecognised payment is a request to dispute one: it
 * says so, or it names the amount (so the transaction can be found and proposed).
 * "There's a charge I didn't make" is not: it gets the guide's steps and the offer.
 */
export const wantsDispute = (text: string): boolean => asksToDispute(text) || amountIn(text) !== null;

/**
 * After the guide's steps for an unrecognised payment: start a dispute, or freeze the card
 * first. In the customer's script: the tap's text is read back by the intent model, which
 * reads 我要申訴一筆交易 as it reads 我要申诉一笔交易 (unrecognised_transaction, 0.995 both).
 */
export function disputeOffers(lang: ReplyLanguage): QuickReply[] {
  return [
    { label: say("disputeOfferDispute", lang), text: say("disputeOfferDisputeText", lang) },
    { label: say("disputeOfferFreeze", lang), text: say("disputeOfferFreezeText", lang) },
  ];
}

/**
 * The payments a dispute may be about: money out of the amount asked about (a word of
 * the description narrows them, as in explainTransaction), and only those of a day
 * the message names (a choice's quick reply names it).
 */
export function disputable(items: Transaction[], text: string): Transaction[] {
  const amount = amountIn(text);
  if (amount === null) return [];
  const found = matchTransactions(
    items.filter((t) => t.amount < 0),
    amount,
    descriptionWords(text),
  );
  const day = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  const onDay = day ? found.filter((t) => isoDay(new Date(t.postedAt)) === day) : [];
  return onDay.length ? onDay : found;
}

/** A quick reply that asks again for one of several matching payments, by its day and merchant. */
function choiceText(t: Transaction, lang: Language): string {
  const day = isoDay(new Date(t.postedAt));
  return lang === "zh"
    ? `申诉 ${day} ${t.description} ${money(-t.amount)} 这笔交易`
    : `dispute the ${money(-t.amount)} payment at ${t.description} on ${day}`;
}

/**
 * "I don't recognise this ¥3,280 payment, I want to dispute it": finds the payment of
 * the last 60 days, asks which when several match, says so (and offers a person) when
 * none does, and proposes a dispute of one; the customer's yes opens the case.
 */
export async function proposeDispute(
  banking: CoreBanking,
  customerId: string,
  lang: Language,
  text: string,
  now = new Date(),
): Promise<ToolOutcome> {
  const person = { label: say("talkToPerson", lang), text: say("talkToPerson", lang) };
  const amount = amountIn(text);
  if (amount === null) return { reply: say("disputeAskAmount", lang), quickReplies: [person], data: { amount: null } };
  const found = disputable(await recentTransactions(banking, customerId, now), text);
  if (!found.length) {
    return { reply: say("disputeNone", lang, { amount: money(amount) }), quickReplies: [person], data: { amount, matches: 0 } };
  }
  if (found.length > 1) {
    return {
      reply: say("disputeWhich", lang, { amount: money(amount) }),
      quickReplies: found.slice(0, CHOICES).map((t) => ({
        label: `${isoDay(new Date(t.postedAt))} ${t.description} ${money(-t.amount)}`,
        text: choiceText(t, lang),
      })),
      data: { amount, matches: found.length },
    };
  }
  const t = found[0]!;
  const account = (await banking.accounts(customerId)).find((a) => a.name === t.accountName);
  const date = isoDay(new Date(t.postedAt));
  return {
    reply: say("confirmDispute", lang, { amount: money(-t.amount), merchant: t.description, date }),
    quickReplies: yesNo(lang),
    pendingConfirmation: {
      tool: "dispute_transaction",
      transactionId: t.id,
      amount: -t.amount,
      currency: account?.currency ?? "CNY",
      merchant: t.description,
      date,
      accountName: t.accountName,
      // Cards are not linked to accounts in the contract: a credit account's payments are the credit card's.
      cardKind: account ? (account.kind === "credit" ? "credit" : "debit") : null,
      expiresAt: now.getTime() + CONFIRM_TTL_MS,
      requestId: crypto.randomUUID(),
    },
    data: { amount, matches: 1 },
  };
}

/**
 * The yes: opens the dispute case under the key fixed when it was proposed (a retried
 * job or a second yes finds the same case), tells the reference and when the customer
 * will hear from us, and recommends freezing the card when one of its kind is active.
 */
export async function confirmDispute(
  banking: CoreBanking,
  disputes: DisputeCasesPort | undefined,
  customerId: string,
  conversationId: string | undefined,
  pending: DisputePending & { requestId: string },
  lang: Language,
): Promise<ConfirmedChange> {
  if (!disputes || !conversationId) throw new Error("A dispute is opened in a conversation, with the cases port");
  const opened = await disputes.open({
    conversationId,
    language: lang,
    requestKey: pending.requestId,
    transaction: {
      transactionId: pending.transactionId,
      amount: pending.amount,
      currency: pending.currency,
      merchant: pending.merchant,
      date: pending.date,
      accountName: pending.accountName,
      cardKind: pending.cardKind,
    },
  });
  const vars = {
    amount: money(pending.amount),
    merchant: pending.merchant,
    date: pending.date,
    reference: opened.reference,
    by: formatDate(opened.finalResponseBy, lang),
    ack: opened.acknowledgeBy ? formatDate(opened.acknowledgeBy, lang) : "",
  };
  let reply = say(opened.acknowledgeBy ? "disputeOpened" : "disputeOpenedNoAck", lang, vars);
  let quickReplies: QuickReply[] | undefined;
  // The case is open whatever the cards say: a core that cannot list them now only loses the tip.
  const cards = await banking.cards(customerId).catch(() => []);
  const active = cards.filter((c) => c.status === "active" && (!pending.cardKind || c.kind === pending.cardKind));
  if (active.length) {
    reply += `\n\n${say("disputeFreezeTip", lang)}`;
    const kind = pending.cardKind;
    quickReplies = [
      {
        label: say("disputeOfferFreeze", lang),
        text:
          lang === "zh"
            ? kind === "credit"
              ? "冻结信用卡"
              : kind === "debit"
                ? "冻结借记卡"
                : "冻结银行卡"
            : `freeze my ${kind ? `${kind} ` : ""}card`,
      },
    ];
  }
  return {
    reply,
    quickReplies,
    target: `case:${opened.reference}`,
    data: { reference: opened.reference, created: opened.created, transactionId: pending.transactionId, amount: pending.amount },
  };
}
