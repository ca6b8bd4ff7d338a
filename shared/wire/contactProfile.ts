import type { Case } from "./cases.ts";
import type { Contact, ContactMerge, EmotionalProfile, Vulnerability } from "./contacts.ts";
import type { Conversation } from "./conversations.ts";

/**
 * A customer as the console's details panel shows them (GET /contacts/{id}:
 * server/services/web/routes/directory.ts), over the conversations the agent may read.
 */

/** An account as the bank's core system returns it (server/banking/CoreBanking.ts); money in the account's currency units. */
export interface BankAccount {
  id: string;
  kind: "current" | "savings" | "credit";
  name: string;
  /** Masked: only the last four digits. */
  maskedNumber: string;
  currency: string;
  balance: number;
  creditLimit: number | null;
}

export interface BankCard {
  id: string;
  kind: "debit" | "credit";
  product: string;
  last4: string;
  status: "active" | "frozen" | "cancelled";
  expires: string;
}

export interface BankTransaction {
  id: string;
  accountName: string;
  postedAt: string;
  description: string;
  amount: number;
}

/** The core system's view of a verified customer, read for the agent and audited: their latest ten transactions. */
export interface CustomerBanking {
  accounts: BankAccount[];
  cards: BankCard[];
  transactions: BankTransaction[];
}

/** Why `banking` is missing for a verified customer: the core did not answer, or the read could not be logged. */
export type BankingError = "core_banking_unavailable" | "access_log_unavailable";

/** CSAT and NPS answers over the conversations the agent may read, newest first. */
export interface SatisfactionHistory {
  csat: Array<{ conversationId: string; displayId: number; rating: number; comment: string | null; createdAt: string }>;
  nps: Array<{ conversationId: string; displayId: number; score: number; comment: string | null; answeredAt: string }>;
}

/** GET /contacts/{id}. */
export interface ContactProfile {
  contact: Contact;
  conversations: Conversation[];
  emotionalProfile: EmotionalProfile;
  satisfaction: SatisfactionHistory;
  vulnerability: Vulnerability | null;
  /** Merges of other contacts into this one, newest first (undoable while `undoneAt` is null). */
  merges: ContactMerge[];
  /** The customer segments they are in now (Settings → Segments). */
  segments: Array<{ id: string; name: string }>;
  cases: Case[];
  /** Open complaint cases of another team's, which this agent may not read: counted, never shown. */
  otherOpenCases: number;
  /** Read from the core and audited; null for a customer who is not verified, or when `bankingError` says why. */
  banking: CustomerBanking | null;
  bankingError?: BankingError;
}
