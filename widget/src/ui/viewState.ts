import type { ChatItem } from "../chat.ts";
import type { FeedbackState } from "../feedback.ts";
import type { Locale, Strings } from "../locales/index.ts";
import type { AnswerRating, Attachment, PreChatField, QuickReply } from "../types.ts";
import type { ServiceHours } from "../../../shared/wire/index.ts";

/**
 * The contract between the widget and its view: what the screen shows (the widget computes it,
 * the view only draws it), and what the customer's actions ask of the widget. The view's parts
 * each take the slice of ViewActions they use.
 */
export type CsatMode = "none" | "ask" | "sending" | "thanks" | "error";

/** Everything the screen shows; the widget computes it, the view only draws it. */
export interface ViewState {
  locale: Locale;
  s: Strings;
  title: string;
  color?: string;
  open: boolean;
  unread: number;
  items: ChatItem[];
  greeting: string;
  /** Who is on the other side: the assistant, nobody yet (handed off), a person, or no one (resolved). */
  phase: "assistant" | "waiting" | "agent" | "resolved";
  agentName?: string;
  typing: null | { who: "agent" | "bot"; name?: string };
  banner: null | { tone: "warn" | "info"; text: string; icon: "offline" | "alert" };
  quickReplies: QuickReply[];
  /** The 👍 / 👎 under each answer that can be rated, by message id. */
  feedback: Record<string, FeedbackState>;
  showHuman: boolean;
  csat: CsatMode;
  /** The recommendation question (0–10), after the rating, when the inbox asks it. */
  nps: CsatMode;
  showNewConversation: boolean;
  preview: null | { title: string; text: string };
  maxLength: number;
  connected: boolean;
  /** The inbox's pre-chat form, shown instead of the composer until it is filled in. */
  preChat: null | { fields: PreChatField[]; errors: Partial<Record<"name" | "email" | "phone" | "form", string>>; sending: boolean };
  /** Nobody can answer now: offer to leave an e-mail address. */
  away: null | { email: string; hours?: ServiceHours; sending: boolean; error?: string };
  /** The header's status when the team is offline. */
  teamAway: boolean;
  /** After a resolved conversation: offer the transcript by e-mail. */
  transcript: null | { mode: "offer" | "form" | "sending" | "sent" | "unavailable"; email: string; error?: string };
  /** The assistant asked for a one-time code (step-up verification): the code box under its message. */
  stepUp: null | StepUpView;
}

export interface StepUpView {
  id: string;
  destination: string;
  status: "pending" | "verified" | "locked" | "expired" | "closed";
  attemptsLeft: number;
  /** A new code can be asked for (sends left, and not too soon after the last). */
  canResend: boolean;
  busy: boolean;
  /** What the last try said: a wrong code, a new code sent, an error. */
  message?: string;
  tone?: "error" | "info";
}

export interface ViewActions {
  toggle(): void;
  open(): void;
  close(): void;
  send(text: string): void;
  retry(clientId: string): void;
  quickReply(text: string): void;
  talkToPerson(): void;
  typing(): void;
  rate(rating: number, comment: string): void;
  /** The customer's 👍 / 👎 under one of the assistant's answers. */
  rateAnswer(messageId: string, rating: AnswerRating): void;
  skipRating(): void;
  answerNps(score: number, comment: string): void;
  skipNps(): void;
  newConversation(): void;
  dismissPreview(): void;
  attach(file: File): void;
  submitPreChat(values: Record<string, string>): void;
  leaveMessage(email: string): void;
  /** A displayable URL (blob:) for an attachment, fetched with the session's credentials. */
  attachmentSrc(a: Attachment): Promise<string | undefined>;
  openAttachment(a: Attachment): void;
  /** Drops a file that could not be sent. */
  discard(clientId: string): void;
  transcript(email?: string): void;
  /** The one-time code typed in the code box. */
  verifyCode(challengeId: string, code: string): void;
  resendCode(challengeId: string): void;
}
