import type { Case } from "./types.ts";

/** What the customer panel says about a customer's running complaints, at a glance. */
export interface OpenComplaints {
  /** The open cases the agent may read, the soonest final-response deadline first. */
  cases: Case[];
  /** Open cases of another team's, which the agent may not read (counted by the server, never named). */
  others: number;
  /** One of the open cases disputes a payment the customer does not recognise. */
  dispute: boolean;
  /** The marker beside the customer's name; null when nothing is open. */
  marker: string | null;
}

/** A case is open until it is closed: a final response sent may still be reopened or escalated. */
export const isOpenCase = (c: Pick<Case, "status">): boolean => c.status !== "closed";

export const isDispute = (c: Pick<Case, "details">): boolean => c.details?.kind === "disputed_transaction";

export function openComplaints(cases: Case[] | undefined, others = 0): OpenComplaints {
  const open = (cases ?? []).filter(isOpenCase).sort((a, b) => a.clocks.finalResponse.dueAt.localeCompare(b.clocks.finalResponse.dueAt));
  const total = open.length + others;
  const dispute = open.some(isDispute);
  const marker = total === 0 ? null : dispute ? "Dispute" : total === 1 ? "Open complaint" : `${total} open complaints`;
  return { cases: open, others, dispute, marker };
}
