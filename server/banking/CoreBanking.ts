import type { BankAccount, BankCard, BankTransaction } from "../../shared/wire/index.ts";

/**
 * What the assistant and the console may ask of the bank's core system. Only ever
 * called for a verified customer (the caller passes the verified customer id).
 * Two implementations: DemoCoreBanking reads our own demo tables (the embedded
 * default), HttpCoreBanking calls a bank's core system over the HTTP contract in
 * docs/core-banking.openapi.yaml (selected by CORE_BANKING_URL). createCoreBanking.ts
 * picks one per process.
 *
 * Money is in the account's currency units (yuan), dates are ISO `YYYY-MM-DD`.
 * Failures are CoreBankingError (errors.ts): `unavailable` ones (time-out, the core
 * down, the circuit open, a response we cannot read) make the assistant hand off.
 *
 * Accounts and cards are the wire's shapes (shared/wire/contactProfile.ts): the console shows them as they come from here.
 */
export type Account = BankAccount;
export type Card = BankCard;

export interface Transaction extends Omit<BankTransaction, "postedAt"> {
  postedAt: Date;
}

/** One transaction with what a customer asks about it ("what is this ¥38 charge?"). */
export interface TransactionDetail extends Transaction {
  accountId: string;
  /** Masked: only the last four digits. */
  accountMaskedNumber: string;
  currency: string;
  /** Money out of the account (debit) or into it (credit). */
  direction: "debit" | "credit";
  status: "posted" | "pending";
}

export interface TransactionQuery {
  /** Page size, 1–100 (default 20). */
  limit?: number;
  /** Inclusive ISO dates bounding postedAt. */
  from?: string;
  to?: string;
  /** Opaque: the previous page's `nextCursor`. */
  cursor?: string;
}

/** Newest first; `nextCursor` is null on the last page. */
export interface TransactionPage {
  items: Transaction[];
  nextCursor: string | null;
}

export interface Deposit {
  id: string;
  kind: "time" | "instalment";
  principal: number;
  monthly: number | null;
  ratePercent: number;
  termMonths: number;
  openedOn: string;
  maturityOn: string;
  paidInstalments: number | null;
  missedInstalments: number;
  autoRollover: boolean;
  /** Simple interest expected at maturity if kept to term. */
  expectedInterest: number;
}

/** One month of an instalment savings plan (零存整取). */
export interface Instalment {
  number: number;
  dueOn: string;
  amount: number;
  status: "paid" | "missed" | "due" | "upcoming";
}

export interface CardReplacement {
  id: string;
  /** The card reported lost, as it is now (cancelled). */
  card: Card;
  /** The new card's last four digits; null when no replacement was ordered. */
  replacementLast4: string | null;
  status: "ordered" | "not_ordered";
  estimatedDeliveryOn: string | null;
}

/**
 * Where the bank reaches the customer, from its own records (not from anything the
 * visitor typed or the page sent): one-time codes for step-up verification go here.
 * E.164 phone; either may be null when the bank has none.
 */
export interface ContactDetails {
  phone: string | null;
  email: string | null;
}

/**
 * Every write carries an idempotency key: the same key sent again (a retried job, a
 * customer's double "yes") is the same one change, answered with the first result.
 * Callers derive it from what they are carrying out; without one a fresh key is used.
 */
export interface WriteOptions {
  idempotencyKey?: string;
}

export interface CoreBanking {
  accounts(customerId: string): Promise<Account[]>;
  cards(customerId: string): Promise<Card[]>;
  transactions(customerId: string, query?: TransactionQuery): Promise<TransactionPage>;
  /** One of the customer's transactions; CoreBankingError `not_found` when it is not theirs. */
  transaction(customerId: string, transactionId: string): Promise<TransactionDetail>;
  deposits(customerId: string): Promise<Deposit[]>;
  /** An instalment plan's months (a time deposit has none: empty). */
  depositSchedule(customerId: string, depositId: string): Promise<Instalment[]>;
  /** Freezes or unfreezes one of the customer's cards; returns the card as it is now. */
  setCardStatus(customerId: string, cardId: string, status: "active" | "frozen", opts?: WriteOptions): Promise<Card>;
  /** Cancels a lost or stolen card for good and, if asked, orders its replacement. */
  reportCardLost(
    customerId: string,
    cardId: string,
    request: { reason: "lost" | "stolen"; orderReplacement: boolean },
    opts?: WriteOptions,
  ): Promise<CardReplacement>;
  /** The phone and e-mail address the bank has on file for the customer (step-up codes go there). */
  contactDetails(customerId: string): Promise<ContactDetails>;
  /** Pays one missed instalment of a 零存整取 plan from one of the customer's accounts; returns the plan as it is now. */
  makeUpInstalment(customerId: string, depositId: string, request: { fromAccountId: string }, opts?: WriteOptions): Promise<Deposit>;
}

export function maskNumber(n: string): string {
  return `•••• ${n.slice(-4)}`;
}
