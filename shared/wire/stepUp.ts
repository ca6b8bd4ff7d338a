/**
 * How much harm an answer or an action could do in the wrong hands. Declared next to
 * each account tool (server/assistant/tools/accountTools.ts, TOOL_RISK); an inbox says
 * what each level needs (StepUpSettings).
 */
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * What a level needs: the signed identity the bank's page passed to the widget
 * (`identity`), or that and a one-time code sent to the customer's registered phone
 * or e-mail address and typed into the widget (`code`).
 */
export const STEP_UP_REQUIREMENTS = ["identity", "code"] as const;
export type StepUpRequirement = (typeof STEP_UP_REQUIREMENTS)[number];

/**
 * Where codes go. `sms` and `email` use the bank's registered phone and e-mail
 * address (core banking's contact details) through our own SMS and e-mail sending;
 * `demo_phone` is the demo bank's on-screen phone, which works only while the demo
 * is seeded (DEMO_SEED) and never reaches a real customer.
 */
export const STEP_UP_CHANNELS = ["sms", "email", "demo_phone"] as const;
export type StepUpChannel = (typeof STEP_UP_CHANNELS)[number];

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
  risk: RiskLevel;
  channel: StepUpChannel;
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

/** What each risk level of the account tools needs, and where one-time codes go (server/stepup/stepUpPolicy.ts). */
export interface StepUpSettings {
  low?: StepUpRequirement;
  medium?: StepUpRequirement;
  high?: StepUpRequirement;
  channel?: StepUpChannel;
  smsInbox?: string;
  validMinutes?: number;
}

/** How a conversation's customer is verified (GET /conversations/{id}/verification: server/stepup/stepUpModule.ts). */
export interface ConversationVerification {
  /** `signed`: the bank's page passed a signed identity for this customer. */
  identity: "signed" | "none";
  /** The bank's customer id of a signed-in customer. */
  customerId: string | null;
  /** What each risk level needs in this conversation's inbox. */
  requires: Record<RiskLevel, StepUpRequirement>;
  /** The latest code passed for this customer, and until when it counts. */
  stepUp: (StepUp & { validUntil: string; current: boolean }) | null;
  /** A code asked for and not (yet) passed. */
  pending: StepUp | null;
}
