/** A customer as the server sends it to agents. Presenter: server/presenters/presentContact.ts. */

/** Who a conversation is with, as the conversation list names them. */
export interface ContactRef {
  id: string;
  name: string | null;
  verified: boolean;
}

export interface Contact extends ContactRef {
  email: string | null;
  phone: string | null;
  externalId: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  /** Merged into this contact (GET /contacts/{id} of the survivor shows the merge); null otherwise. */
  mergedInto: string | null;
}

export type MoodTrend = "worsening" | "stable" | "improving";

/** A customer's mood over the conversations the agent may open (GET /contacts/{id} → emotionalProfile). */
export interface EmotionalProfile {
  conversations: number;
  readings: number;
  average: number | null;
  negativeShare: number | null;
  trend: MoodTrend;
  slope: number;
  byConversation: Array<{
    conversationId: string;
    from: string;
    to: string;
    readings: number;
    average: number;
    lowest: number;
    last: number;
    trend: MoodTrend;
    slope: number;
  }>;
  recentNegative: Array<{ conversationId: string; at: string; score: number; negativeMessages: number }>;
}

export const VULNERABILITY_KINDS = ["bereavement", "illness", "financial_difficulty", "elderly", "other"] as const;
export type VulnerabilityKind = (typeof VULNERABILITY_KINDS)[number];

/**
 * A customer in circumstances that call for care (GET /contacts/{id} → vulnerability),
 * recorded by an agent with the customer's consent. Their new conversations go to the
 * inbox's vulnerable-customers team, and the assistant hands off sensitive matters sooner.
 */
export interface Vulnerability {
  kind: VulnerabilityKind;
  note: string;
  consentConfirmed: true;
  recordedBy: { id: string; name: string } | null;
  recordedAt: string;
}

/** A merge of another contact into this one (GET /contacts/{id} → merges), undoable while `undoneAt` is null. */
export interface ContactMerge {
  id: string;
  survivorId: string;
  mergedId: string;
  mergedName: string | null;
  moved: { conversations: number; cases: number; channelIdentities: number };
  mergedBy: { id: string; name: string } | null;
  /** BankDesk merged them by itself: both held the same verified e-mail address (`methods`: how each proved it). */
  automatic: { reason: "verified_email"; methods: string[] } | null;
  mergedAt: string;
  undoneAt: string | null;
}

/** POST /contacts/{id}/merge: the merge (to undo it by) and how much moved to the survivor. */
export interface ContactMergeResult {
  mergeId: string;
  survivorId: string;
  moved: ContactMerge["moved"];
}
