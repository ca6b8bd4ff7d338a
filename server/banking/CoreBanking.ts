/**
 * What the assistant and the console may ask of the bank's core system. Only ever
 * called for a verified customer (the caller passes the verified customer id).
 * The demo implementation (DemoCoreBanking) reads our own demo tables; a bank
 * plugs in an adapter to its core system behind the same interface.
 */
export interface Account {
  id: string;
  kind: "current" | "savings" | "credit";
  name: string;
  /** Masked: only the last four digits. */
  maskedNumber: string;
  currency: string;
  balance: number;
  creditLimit: number | null;
}

export interface Card {
  id: string;
  kind: "debit" | "credit";
  product: string;
  last4: string;
  status: "active" | "frozen" | "cancelled";
  expires: string;
}

export interface Transaction {
  id: string;
  accountName: string;
  postedAt: Date;
  description: string;
  amount: number;
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

export interface CoreBanking {
  accounts(customerId: string): Promise<Account[]>;
  cards(customerId: string): Promise<Card[]>;
  recentTransactions(customerId: string, limit?: number): Promise<Transaction[]>;
  deposits(customerId: string): Promise<Deposit[]>;
  /** Freezes or unfreezes one of the customer's cards; returns the card as it is now. */
  setCardStatus(customerId: string, cardId: string, status: "active" | "frozen"): Promise<Card>;
}

export function maskNumber(n: string): string {
  return `•••• ${n.slice(-4)}`;
}
