/**
 * A step-up challenge as the customer's widget and the agents' console see it: the
 * assistant's message asking for a one-time code carries it, and the stepup:*
 * acknowledgements return it. Never the code, never the full destination.
 */
export interface StepUp {
  id: string;
  /** The waiting action (a tool name). */
  purpose: string;
  /** For one of the bank's own tools: its label as the customer read it ("track your card delivery"). */
  action?: string;
  risk: "low" | "medium" | "high";
  channel: string;
  /** Where the code went, masked ("w•••@example.com", "•••• 5678"). */
  destination: string;
  status: "pending" | "verified" | "locked" | "expired" | "superseded" | "undelivered";
  attemptsLeft: number;
  sendsLeft: number;
  expiresAt: string;
  resendAt: string;
  verifiedAt: string | null;
}

/** What checking a typed code found. */
export type StepUpOutcome = "verified" | "wrong" | "locked" | "expired" | "closed";
