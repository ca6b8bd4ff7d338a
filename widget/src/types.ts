/**
 * Shapes of the server contract. What crosses the wire (messages, conversations, the
 * session, socket events and acknowledgements) is shared/wire, which the server's
 * presenters are checked against; the widget's own shapes are below.
 */
import type { Attachment as WireAttachment, InboxAvailability } from "../../shared/wire/index.ts";

export type {
  Ack,
  AckError,
  AnswerRating,
  Citation,
  ConversationStatus,
  ConversationSummary,
  Message as ServerMessage,
  MessageAttributes,
  MessageType,
  PreChatField,
  QuickReply,
  SenderType,
  StepUp as ServerStepUp,
  StreamEvent,
  TypingEvent,
  WidgetSession as SessionResponse,
} from "../../shared/wire/index.ts";

/** An attachment as the widget shows it: as the server sent it, or a file still on its way up. */
export interface Attachment extends Partial<WireAttachment> {
  /** A local preview (blob: URL) of a file on its way up. */
  preview?: string;
}

/** Whether a person can answer now, as the widget tells the customer. */
export type Availability = Pick<InboxAvailability, "online" | "hours">;

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
  /** The bank's HMAC of `email` for the signed-in `userId`: the address is then verified. */
  emailHash?: string;
  attributes?: Record<string, string | number | boolean>;
}

export interface Identity {
  userId?: string;
  identityHash?: string;
  name?: string;
  email?: string;
  /** The bank's HMAC of `email` for the signed-in `userId`: the address is then verified. */
  emailHash?: string;
  attributes?: Record<string, string | number | boolean>;
  /** Start a new conversation on sign-in rather than resume the customer's latest one. */
  newConversation?: boolean;
}
