/** A case's statuses, in the order a case usually goes through them. */
export const CASE_STATUSES = ["received", "acknowledged", "investigating", "final_response", "closed", "reopened", "escalated"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type CaseSeverity = (typeof CASE_SEVERITIES)[number];
/** Where a customer may take a complaint outside the bank. */
export const ESCALATION_BODIES = ["ombudsman", "regulator"] as const;
export type EscalationBody = (typeof ESCALATION_BODIES)[number];

/**
 * Where a case may go from each status: the server's status machine (changeCaseStatus),
 * and what the console offers. `final_response` is reached only by sending the
 * final-response letter (sendCaseLetter), so that no case is marked answered without
 * the answer on record. A customer may go to the ombudsman or regulator at any stage
 * (in mainland China they need not wait for our reply), so `escalated` is open from
 * every status but itself.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ["acknowledged", "investigating", "final_response", "escalated"],
  acknowledged: ["investigating", "final_response", "escalated"],
  investigating: ["final_response", "escalated"],
  final_response: ["closed", "reopened", "escalated"],
  closed: ["reopened", "escalated"],
  reopened: ["investigating", "final_response", "escalated"],
  escalated: ["investigating", "final_response", "closed"],
};

/** How a clock stands: met (in time or late) once its step is done, else by the share of its time used. */
export type CaseClockState = "running" | "near_breach" | "breached" | "met" | "met_late";

/** A case's clock: when it is due, when it was met, and how it stands now. */
export interface CaseClock {
  dueAt: string;
  doneAt: string | null;
  state: CaseClockState;
}

/** What the bank did about a complaint. */
export interface CaseRemedy {
  refundAmount?: number;
  currency?: string;
  apology?: boolean;
  processChange?: string;
  /** Retention removed the process change's text; the report still counts that one was made. */
  processChangeRecorded?: boolean;
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
 * A complaint case as staff see it, with its clocks worked out (server/cases/presentCase.ts):
 * the cases' REST answers, `case` on /agent, a contact profile's cases and the case webhooks.
 */
export interface Case {
  id: string;
  reference: string;
  status: CaseStatus;
  severity: CaseSeverity;
  summary: string;
  language: "en" | "zh";
  /** Who opened it: the assistant (on a customer's complaint), an agent, or an e-mail. */
  source: "assistant" | "agent" | "email";
  /** The customer (a merged contact's cases are the survivor's). */
  contactId: string;
  inboxId: string;
  teamId: string | null;
  ownerId: string | null;
  categoryId: string | null;
  productId: string | null;
  escalatedTo: EscalationBody | null;
  jurisdiction: string;
  rule: string;
  /** The jurisdiction calendar's time zone, which the clocks count in. */
  timezone: string;
  receivedAt: string;
  extensions: number;
  extensionsLeft: number;
  clocks: {
    acknowledge: CaseClock | null;
    finalResponse: CaseClock & {
      /** The last day for the final response, in the case's time zone (YYYY-MM-DD). */
      dueDate: string;
      limit?: { days: number; unit: string };
      /** Share of the time used (1 = due now), capped at 9.99. */
      used: number;
    };
  };
  rootCause: string | null;
  remedy: CaseRemedy;
  /** What the case is about in fields: a disputed transaction's id, amount, merchant and date (no card numbers). */
  details: CaseDetails;
  closedAt: string | null;
  /** When retention anonymised it (its text is gone, it can no longer change). */
  anonymisedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A case in a list (GET /cases): with its owner's and its customer's names. */
export interface CaseListItem extends Case {
  ownerName: string | null;
  contactName: string | null;
}

/** POST /cases/{id}/letters: the case after the letter, the letter's text and the message that carried it. */
export interface CaseLetterSent {
  case: Case;
  letter: string;
  messageId: string;
}

/** One entry of a case's timeline (server/cases/presentCase.ts, presentCaseEvent). */
export interface CaseEvent {
  id: number;
  kind: string;
  actor: { type: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
  createdAt: string;
}

/** GET /cases/{id}: a case with its owner's name, its customer, timeline and linked conversations. */
export interface CaseDetail extends Case {
  ownerName: string | null;
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
