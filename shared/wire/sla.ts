/**
 * Service levels (server/sla/): a conversation's standing against the policy that
 * applies to it, as the console lists it, shows in the header and receives live
 * (`sla` and `sla_alert` on /agent). Presenter: server/sla/presentSla.ts.
 */

export type SlaMetric = "first_response" | "next_response" | "resolution";
export type SlaTargetState = "running" | "near_breach" | "breached" | "met" | "missed";

export interface SlaTarget {
  dueAt: string | null;
  /** When it was met (the agent's reply, the resolution); null while it runs. */
  doneAt: string | null;
  state: SlaTargetState;
}

export interface ConversationSla {
  policyId: string;
  policyName: string;
  /** The running target due soonest, or null when none runs (all met, or the conversation is with the bot or resolved). */
  next: { metric: SlaMetric; dueAt: string; state: "running" | "near_breach" | "breached" } | null;
  /** A running target is past its due time. */
  breached: boolean;
  firstResponse: SlaTarget | null;
  /** The current wait for a reply after the first one; `met`/`missed` count the waits so far. */
  nextResponse: (SlaTarget & { met: number; missed: number }) | null;
  resolution: SlaTarget | null;
}

/** A target near (80 % of its time used) or past its due time (`sla_alert` on /agent). */
export interface SlaAlert {
  conversationId: string;
  displayId: number;
  assigneeId: string | null;
  policyName: string;
  metric: SlaMetric;
  level: "near_breach" | "breach";
  dueAt: string;
}

/** An SLA policy as the Settings view lists it (GET /api/v1/sla-policies). */
export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  active: boolean;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
  holidayCalendar: "cn" | "uk" | "us" | null;
  conditions: { inboxIds: string[]; teamIds: string[]; priorities: string[]; labels: string[] };
  createdAt: string;
  updatedAt: string;
}
