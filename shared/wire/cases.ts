/** A case's clock: when it is due, when it was met, and how it stands now. */
export interface CaseClock {
  dueAt: string;
  doneAt: string | null;
  state: string;
}

/**
 * The payment a dispute case is about (kind `disputed_transaction`, opened by the
 * assistant's dispute_transaction tool): as the customer confirmed it. Never a card number.
 */
export interface DisputedTransactionDetails {
  kind: "disputed_transaction";
  /** The core banking system's id of the transaction. */
  transactionId: string;
  /** Money out, positive, in `currency`. */
  amount: number;
  currency: string;
  /** The merchant as the statement names it. */
  merchant: string;
  /** The day it was posted (YYYY-MM-DD). */
  date: string;
  /** The account it was posted to, by its product name. */
  account: string | null;
}

/** What a case is about in fields, by kind; an ordinary complaint has none (`{}`). */
export type CaseDetails = DisputedTransactionDetails | Record<string, never>;

/**
 * A complaint case as the console lists it and receives it live (`case` on /agent);
 * server/cases/presentCase.ts is checked against it.
 */
export interface CaseSummary {
  id: string;
  reference: string;
  status: string;
  severity: string;
  summary: string;
  language: "en" | "zh";
  jurisdiction: string;
  rule: string;
  ownerId: string | null;
  ownerName?: string | null;
  /** The customer (a merged contact's cases are the survivor's). */
  contactId?: string | null;
  contactName?: string | null;
  categoryId: string | null;
  productId: string | null;
  extensions: number;
  extensionsLeft: number;
  escalatedTo: string | null;
  rootCause: string | null;
  remedy: { refundAmount?: number; currency?: string; apology?: boolean; processChange?: string };
  /** What the case is about in fields: a disputed transaction's id, amount, merchant and date (no card numbers). */
  details: CaseDetails;
  /** When retention anonymised it (its text is gone, it can no longer change); absent or null otherwise. */
  anonymisedAt?: string | null;
  receivedAt: string;
  clocks: {
    acknowledge: CaseClock | null;
    finalResponse: CaseClock & { dueDate: string; limit?: { days: number; unit: string }; used: number };
  };
}

/** One entry of a case's timeline (server/cases/presentCase.ts, presentCaseEvent). */
export interface CaseEvent {
  id: number;
  kind: string;
  actor: { type: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
  createdAt: string;
}

/** GET /cases/{id}: a case with its customer, timeline and linked conversations. */
export interface CaseDetail extends CaseSummary {
  contact: { id: string; name: string | null; email: string | null };
  /** Agents the policy will not accept as owner (they handled the complained-about conversations). */
  handlerIds: string[];
  timeline: CaseEvent[];
  conversations: Array<{
    id: string;
    displayId: number;
    status: string;
    inbox: string;
    channel: string;
    linkedAt: string;
    createdAt: string;
  }>;
}

/** A complaint category or product (GET /case-taxonomy). */
export interface CaseTaxonomyEntry {
  id: string;
  kind: "category" | "product";
  code: string;
  nameEn: string;
  nameZh: string;
  active: boolean;
  position: number;
}

/** A case's clock near (80 % of its time used) or past its deadline (`case_alert` on /agent). */
export interface CaseClockAlert {
  caseId: string;
  reference: string;
  ownerId: string | null;
  clock: "acknowledge" | "final_response";
  level: "near_breach" | "breach";
  dueAt: string;
}

/** Median and 90th percentile of a time to a milestone, in days as the case clocks count them. */
export interface CaseDuration {
  /** Cases that reached the milestone (the others are not in the figures). */
  cases: number;
  /** Working days on each case's jurisdiction calendar, from the day after receipt (the clocks' count). */
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
  /** Calendar days, counted the same way (same day = 0). */
  medianCalendarDays: number | null;
  p90CalendarDays: number | null;
}

/** How often a clock was missed: met late, or past its deadline and still running. */
export interface CaseBreaches {
  /** Cases that run this clock. */
  clocks: number;
  breached: number;
  /** breached / clocks, to three decimals; null when no case runs the clock. */
  share: number | null;
}

/** One bar of a complaints breakdown (a category or product; id null: not classified). */
export interface CaseCount {
  id: string | null;
  code: string | null;
  nameEn: string | null;
  nameZh: string | null;
  count: number;
}

/** The complaints report (GET /reports/cases): the cases received in the range, as the reader may see them. */
export interface CaseReport {
  from: string;
  to: string;
  total: number;
  byStatus: Record<string, number>;
  byCategory: CaseCount[];
  byProduct: CaseCount[];
  timeToAcknowledge: CaseDuration;
  timeToFinalResponse: CaseDuration;
  breaches: { acknowledge: CaseBreaches; finalResponse: CaseBreaches };
  /**
   * Root causes as recorded (grouped ignoring case and spacing), most frequent first; `notRecorded` the cases without one;
   * `anonymised` the cases whose text retention removed.
   */
  rootCauses: { items: Array<{ rootCause: string; count: number }>; notRecorded: number; anonymised: number };
  /** Customers with two or more cases received in the range, most cases first (the first 20). */
  repeatComplainants: { count: number; items: Array<{ contactId: string; name: string | null; cases: number; references: string[] }> };
  remedies: { refunds: Array<{ currency: string; total: number; cases: number }>; apologies: number; processChanges: number };
}
