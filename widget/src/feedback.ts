import type { ChatItem } from "./chat.ts";
import type { AnswerRating } from "./types.ts";

/**
 * Whether an answer gets the 👍 / 👎 buttons: the assistant's answers from the
 * knowledge base (they carry citations), once stored and finished. Never a handoff's
 * message, a decline ("I'm not sure"), the greeting or small talk, nor a person's
 * reply. The server applies the same rule (server/policies/answerFeedbackPolicy.ts)
 * and refuses anything else.
 */
export function canRate(item: ChatItem): boolean {
  const a = item.attributes;
  return (
    !!item.id &&
    !item.streaming &&
    !item.local &&
    item.type === "outgoing" &&
    item.sender === "bot" &&
    a.kind !== "handoff" &&
    a.declined !== true &&
    Array.isArray(a.citations) &&
    a.citations.length > 0
  );
}

/** A click on its way to the server, stored, or refused (kept for the page's life, to say thanks or sorry). */
export interface SentFeedback {
  rating: AnswerRating;
  status: "sending" | "saved" | "failed";
}

/** What the buttons under one answer show. */
export interface FeedbackState {
  /** The button shown pressed: the rating being sent, otherwise the one stored. */
  rating: AnswerRating | null;
  sending: boolean;
  /** The last click was not saved: say so (the stored rating stays pressed). */
  failed: boolean;
  /** The rating was given on this page: thank the customer (or offer a person). */
  justRated: boolean;
}

export function feedbackState(item: ChatItem, sent?: SentFeedback): FeedbackState {
  const stored = item.attributes.feedback?.rating ?? null;
  if (sent?.status === "sending") return { rating: sent.rating, sending: true, failed: false, justRated: false };
  return { rating: stored, sending: false, failed: sent?.status === "failed", justRated: sent?.status === "saved" };
}
