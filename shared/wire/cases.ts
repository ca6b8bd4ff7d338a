/** A case's clock: when it is due, when it was met, and how it stands now. */
export interface CaseClock {
  dueAt: string;
  doneAt: string | null;
  state: string;
}

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
  contactName?: string | null;
  categoryId: string | null;
  productId: string | null;
  extensions: number;
  extensionsLeft: number;
  escalatedTo: string | null;
  rootCause: string | null;
  remedy: { refundAmount?: number; currency?: string; apology?: boolean; processChange?: string };
  receivedAt: string;
  clocks: {
    acknowledge: CaseClock | null;
    finalResponse: CaseClock & { dueDate: string; limit?: { days: number; unit: string }; used: number };
  };
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
