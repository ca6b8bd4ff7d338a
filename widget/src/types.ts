/** Shapes of the server contract (server/presenters, server/services/web/routes/widget.ts). */

export type ConversationStatus = "pending" | "open" | "snoozed" | "resolved";
export type MessageType = "incoming" | "outgoing" | "activity";
export type SenderType = "contact" | "agent" | "bot" | "system";

export interface Citation {
  title?: string;
  url?: string;
  path?: string;
}

export interface QuickReply {
  label: string;
  text?: string;
}

export interface Attachment {
  id?: string;
  name?: string;
  contentType?: string;
  size?: number;
  url?: string;
  /** A local preview (blob: URL) of a file on its way up. */
  preview?: string;
}

/** The customer's verdict on one of the assistant's answers. */
export type AnswerRating = "helpful" | "not_helpful";

export interface MessageAttributes {
  citations?: Citation[];
  quickReplies?: QuickReply[];
  /** The customer's verdict on this answer, as stored (👍 / 👎, or given in words). */
  feedback?: { rating: AnswerRating; via?: "button" | "words"; updatedAt?: string };
  declined?: boolean;
  kind?: string;
  streamId?: string;
  status?: ConversationStatus;
  agentName?: string | null;
  [key: string]: unknown;
}

export interface ServerMessage {
  id: string;
  conversationId: string;
  seq: number;
  type: MessageType;
  private?: boolean;
  /** `name`: an agent's display name as the bank shows it to customers (never their e-mail). */
  sender: { type: SenderType; id?: string | null; name?: string | null };
  content: string;
  attributes: MessageAttributes;
  attachments: Attachment[];
  clientId: string | null;
  createdAt: string;
}

/** A step-up challenge as the server presents it (the assistant's message asking for a code, and the stepup:* acks). */
export interface ServerStepUp {
  id: string;
  channel: string;
  destination: string;
  status: "pending" | "verified" | "locked" | "expired" | "superseded" | "undelivered";
  attemptsLeft: number;
  sendsLeft: number;
  expiresAt: string;
  resendAt: string;
}

export interface ConversationSummary {
  id: string;
  displayId: number;
  status: ConversationStatus;
  lastSeq: number;
  createdAt: string;
  lastActivityAt: string;
}

export type PreChatField = { name: "name" | "email" | "phone"; required: boolean };

export interface Availability {
  online: boolean;
  hours?: string;
}

export interface SessionResponse {
  token: string;
  verified: boolean;
  contact: { id: string; name: string | null; email: string | null; phone?: string | null };
  inbox: { name: string; greeting: string | null; preChatFields: unknown[]; csatEnabled: boolean; maxAttachmentBytes?: number };
  /** The pre-chat form to fill in before the first message, when the inbox has one. */
  preChat?: { fields: PreChatField[] } | null;
  availability?: Availability;
  conversations: ConversationSummary[];
}

export interface AckError {
  code: string;
  message: string;
  retryable?: boolean;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: AckError };

export interface StreamEvent {
  conversationId: string;
  streamId: string;
  delta: string;
  done: boolean;
  /** The draft is void (the server retries): drop it. */
  reset?: boolean;
}

export interface TypingEvent {
  conversationId: string;
  from: string;
  typing: boolean;
}

/** Options of `BankDesk('boot', …)` and `window.BankDeskSettings`. */
export interface BootSettings {
  inbox?: string;
  locale?: string;
  /** Header title; the inbox's name when absent. */
  title?: string;
  /** Brand colour (CSS colour) of the launcher, header and customer bubbles. */
  color?: string;
  /** Where the BankDesk server is; the origin of the widget script by default. */
  serverUrl?: string;
  /** Start with the panel open. */
  open?: boolean;
  userId?: string;
  identityHash?: string;
  name?: string;
  email?: string;
  attributes?: Record<string, string | number | boolean>;
}

export interface Identity {
  userId?: string;
  identityHash?: string;
  name?: string;
  email?: string;
  attributes?: Record<string, string | number | boolean>;
  /** Start a new conversation on sign-in rather than resume the customer's latest one. */
  newConversation?: boolean;
}
