/**
 * A message as the server sends it: to agents (REST and /agent) and to customers
 * (/widget, the API channel). Presenter: server/presenters/presentMessage.ts.
 * Timestamps are ISO 8601 strings, as JSON carries them.
 */

export type MessageType = "incoming" | "outgoing" | "activity";
export type SenderType = "contact" | "agent" | "bot" | "system";

/** An attachment as messages carry it; the URL needs the reader's credentials (widget token or console session). */
export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  url: string;
}

/** A knowledge-base passage an answer is based on. */
export interface Citation {
  title?: string;
  heading?: string;
  path?: string;
  url?: string;
  score?: number;
}

/** A button under an answer that sends its text (or label) as the customer's next message. */
export interface QuickReply {
  label: string;
  text?: string;
}

/** The customer's verdict on one of the assistant's answers. */
export type AnswerRating = "helpful" | "not_helpful";

export interface AnswerFeedback {
  rating: AnswerRating;
  /** 👍 / 👎 under the answer, or rejected in words ("that didn't answer my question"). */
  via: "button" | "words";
  updatedAt: string;
}

/**
 * What the commands store beside a message's text. Open: a command may add a key;
 * these are the ones the widget and the console read. `trace` (the assistant's
 * steps) goes to agents only, and only when asked for.
 */
export interface MessageAttributes {
  citations?: Citation[];
  quickReplies?: QuickReply[];
  feedback?: AnswerFeedback;
  declined?: boolean;
  kind?: string;
  reason?: string;
  streamId?: string;
  status?: string;
  agentName?: string | null;
  sentiment?: unknown;
  trace?: unknown;
  [key: string]: unknown;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  type: MessageType;
  private: boolean;
  /**
   * `id`: the agent's or contact's id, for agents only (null for customers).
   * `name`: an agent's name as the customer was shown it (display name or first name), never their e-mail.
   */
  sender: { type: SenderType; id: string | null; name: string | null };
  content: string;
  attributes: MessageAttributes;
  attachments: Attachment[];
  clientId: string | null;
  createdAt: string;
}
