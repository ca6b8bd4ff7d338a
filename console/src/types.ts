/** Shapes of the JSON the server sends (server/presenters/*). */

export type Role = "admin" | "agent" | "content";
export type Availability = "online" | "away" | "offline";
export type View = "mine" | "unassigned" | "all" | "bot" | "resolved";
export type Status = "pending" | "open" | "snoozed" | "resolved";
export type Priority = "none" | "low" | "medium" | "high" | "urgent";
export type SentimentLabel = "negative" | "neutral" | "positive";

export interface Agent {
  id: string;
  email: string;
  name: string;
  /** What customers see, chosen by the agent or an admin; null: customerName is the first name. */
  displayName?: string | null;
  customerName?: string | null;
  role: Role;
  availability?: Availability;
  teamIds?: string[];
}

export interface Team {
  id: string;
  name: string;
  slug?: string;
}

export interface ContactRef {
  id: string;
  name: string | null;
  verified: boolean;
}

export interface Contact extends ContactRef {
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  attributes?: Record<string, unknown>;
  createdAt?: string;
}

/** A customer's mood over their conversations (GET /contacts/{id} → emotionalProfile). */
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
export type MoodTrend = "worsening" | "stable" | "improving";

export interface Conversation {
  id: string;
  displayId: number;
  inboxId?: string;
  contactId?: string;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  handoffReason: string | null;
  snoozedUntil?: string | null;
  waitingSince: string | null;
  firstReplyAt?: string | null;
  handedOffAt?: string | null;
  resolvedAt?: string | null;
  lastSeq?: number;
  lastActivityAt: string;
  sentiment: { label: string; score: number | null } | null;
  createdAt?: string;
  contact?: ContactRef;
  lastMessage?: string | null;
  /** The customer's rating, on a resolved conversation (GET /conversations/{id} and the live "csat" event). */
  csat?: Csat | null;
}

export interface Csat {
  rating: number;
  comment: string | null;
  createdAt: string;
}

export interface InboxRef {
  id: string;
  slug: string;
  name: string;
  channel: string;
}

export interface Label {
  id: string;
  name: string;
  colour?: string;
  description?: string;
}

export interface Citation {
  title?: string;
  heading?: string;
  path?: string;
  url?: string;
  score?: number;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  type: "incoming" | "outgoing" | "activity";
  private: boolean;
  sender: { type: "contact" | "agent" | "bot" | "system"; id: string | null };
  content: string;
  attributes: {
    citations?: unknown;
    trace?: unknown;
    kind?: string;
    reason?: string;
    sentiment?: unknown;
    status?: string;
    /** The customer's verdict on an answer of the assistant (👍 / 👎 in the widget, or rejected in words). */
    feedback?: AnswerFeedback;
    [k: string]: unknown;
  };
  attachments: Attachment[];
  clientId?: string | null;
  createdAt: string;
}

export interface AnswerFeedback {
  rating: "helpful" | "not_helpful";
  via: "button" | "words";
  updatedAt: string;
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  url: string;
}

export interface CannedResponse {
  shortCode: string;
  content: string;
}

export interface KnowledgeHit {
  path: string;
  title: string;
  heading?: string;
  score?: number;
  text: string;
}

/** What the assistant would answer to a question (POST /assist/preview-answer). */
export interface AnswerPreview {
  answered: boolean;
  reply: string;
  language: string;
  confidence: number | null;
  citations: Array<{ path: string; title: string; heading: string; url: string }>;
  handoff: { needed: boolean; reason: string | null };
  intent: string;
}

export interface ReportSummary {
  conversations: number;
  containmentRate: number | null;
  handoffsByReason: Record<string, number>;
  firstResponse: { median: number | null; p90: number | null };
  resolution: { median: number | null; p90: number | null };
  csat: { average: number | null; distribution: Record<string, number> };
}
