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
