import type { ContactRef } from "./contacts.ts";
import type { Message } from "./messages.ts";
import type { ConversationSla } from "./sla.ts";

/**
 * A conversation as the server sends it. Presenter: server/presenters/presentConversation.ts.
 * Customers get the summary; agents the whole record.
 */

export type ConversationStatus = "pending" | "open" | "snoozed" | "resolved";
export type Priority = "none" | "low" | "medium" | "high" | "urgent";
export type SentimentLabel = "negative" | "neutral" | "positive";

/** The customer's rating of a resolved conversation. */
export interface Csat {
  rating: number;
  comment: string | null;
  createdAt: string;
}

/** What a customer sees of a conversation (the widget, the API channel). */
export interface ConversationSummary {
  id: string;
  displayId: number;
  status: ConversationStatus;
  /** Counts the status's changes: a summary with a lower one is older than the status on screen. */
  statusVersion: number;
  lastSeq: number;
  createdAt: string;
  lastActivityAt: string;
}

/** A conversation for agents. The optional fields come with some answers only (named on each). */
export interface Conversation {
  id: string;
  displayId: number;
  inboxId: string;
  contactId: string;
  status: ConversationStatus;
  /** Counts the status's changes (as ConversationSummary's): shared/statusVersion.ts orders by it. */
  statusVersion: number;
  priority: Priority;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  handoffReason: string | null;
  snoozedUntil: string | null;
  waitingSince: string | null;
  firstReplyAt: string | null;
  handedOffAt: string | null;
  resolvedAt: string | null;
  lastSeq: number;
  lastActivityAt: string;
  sentiment: { label: string; score: number | null } | null;
  createdAt: string;
  /** GET /conversations (the list) and GET /conversations/{id}. */
  contact?: ContactRef;
  /** GET /conversations (the list): the newest public message's text. */
  lastMessage?: string | null;
  /** GET /conversations/{id}: the customer's rating, once given (live: the "csat" event). */
  csat?: Csat | null;
  /** GET /conversations and GET /conversations/{id}: the service levels of the policy that applies (live: the "sla" event). */
  sla?: ConversationSla | null;
}

/** The console's inbox views (GET /conversations?view=). */
export const CONVERSATION_VIEWS = ["mine", "unassigned", "all", "bot", "resolved"] as const;
export type ConversationView = (typeof CONVERSATION_VIEWS)[number];

/** GET /conversations: a page of the list, and how many the filter matches in all. */
export interface ConversationPage {
  total: number;
  items: Conversation[];
}

/** GET /conversations/{id}/messages: a page of the thread, in order. */
export interface MessagePage {
  items: Message[];
}
