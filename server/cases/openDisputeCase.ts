import type { AppContext } from "../context.ts";
import { BOT } from "../actor.ts";
import { openCase } from "./commands/openCase.ts";
import { finalResponseDate, localDate } from "./jurisdictions.ts";

/** A transaction a verified customer disputes, as the assistant confirmed it with them. */
export interface DisputedTransaction {
  transactionId: string;
  /** Money out, in yuan (positive). */
  amount: number;
  currency: string;
  /** The merchant as the statement names it. */
  merchant: string;
  /** The day it was posted (YYYY-MM-DD). */
  date: string;
  accountName: string;
  /** Which card product it was on, when known (the case's product). */
  cardKind: "debit" | "credit" | null;
}

export interface DisputeCaseRequest {
  conversationId: string;
  transaction: DisputedTransaction;
  language: "en" | "zh";
  /** The confirmation's idempotency key: the same key again is the same case. */
  requestKey: string;
}

/** What the customer is told: the reference and when they will hear from us. */
export interface OpenedDispute {
  reference: string;
  created: boolean;
  /** The last day of the acknowledgement clock, when the jurisdiction has one. */
  acknowledgeBy: string | null;
  /** The last day of the final-response clock. */
  finalResponseBy: string;
}

export const DISPUTE_CATEGORY = "unrecognised_transaction";

/**
 * A dispute opened by the assistant: a complaint case (source `assistant`) under the
 * unrecognised-transaction category and the card's product, linked to the
 * conversation and its contact, with the transaction in its details. The clocks are
 * the inbox jurisdiction's, as for any complaint. Idempotent by the confirmation's key.
 */
export async function openDisputeCase(ctx: AppContext, req: DisputeCaseRequest): Promise<OpenedDispute> {
  const t = req.transaction;
  const product = t.cardKind === "credit" ? "credit_card" : t.cardKind === "debit" ? "debit_card" : null;
  const { rows } = await ctx.db.query<{ kind: string; id: string }>(
    "SELECT kind, id FROM case_taxonomy WHERE active AND ((kind = 'category' AND code = $1) OR (kind = 'product' AND code = $2))",
    [DISPUTE_CATEGORY, product],
  );
  const amount = t.amount.toFixed(2);
  const opened = await openCase(ctx, {
    actor: BOT,
    conversationId: req.conversationId,
    // For agents, in English like the assistant's handoff summaries; the customer's words stay in the conversation.
    summary: `Disputed transaction: ${t.currency} ${amount} at ${t.merchant} on ${t.date} (${t.accountName}). The customer does not recognise it.`,
    source: "assistant",
    language: req.language,
    categoryId: rows.find((r) => r.kind === "category")?.id ?? null,
    productId: rows.find((r) => r.kind === "product")?.id ?? null,
    details: {
      kind: "disputed_transaction",
      transactionId: t.transactionId,
      amount: Number(amount),
      currency: t.currency,
      merchant: t.merchant,
      date: t.date,
      account: t.accountName,
    },
    requestKey: `dispute:${req.requestKey}`,
  });
  const c = opened.case;
  return {
    reference: c.reference,
    created: opened.created,
    acknowledgeBy: c.acknowledge_due_at ? localDate(new Date(c.acknowledge_due_at.getTime() - 1), c.policy.timezone) : null,
    finalResponseBy: finalResponseDate(c),
  };
}
