import type { AckError } from "./acks.ts";
import type { CaseClockAlert, Case } from "./cases.ts";
import type { Conversation, ConversationSummary, Csat } from "./conversations.ts";
import type { ConversationSla, SlaAlert } from "./sla.ts";
import type { AnswerRating, Message } from "./messages.ts";
import type { StepUp, StepUpOutcome } from "./stepUp.ts";
import type { EarlyWarningAlert } from "./earlyWarning.ts";

/**
 * The Socket.IO contract: the namespaces, the event names each side sends, and
 * what each carries. The server (server/services/realtime/*) and both bundles
 * (widget/src/connection.ts and the widget's parts that send requests,
 * console/src/realtime.ts) name events through these constants, so a renamed
 * event is renamed everywhere or fails to type-check.
 */

export const WIDGET_NAMESPACE = "/widget";
export const AGENT_NAMESPACE = "/agent";
export type SocketNamespace = typeof WIDGET_NAMESPACE | typeof AGENT_NAMESPACE;

/** A streamed draft of the assistant's answer: `delta` appends; `done` ends it. */
export interface StreamEvent {
  conversationId: string;
  streamId: string;
  delta: string;
  done: boolean;
  /** The draft is void (the server retries the answer): drop it. */
  reset?: boolean;
}

/** Someone on the other side is typing: `from` is "contact" (to agents) or "agent" (to the customer). */
export interface TypingEvent {
  conversationId: string;
  from: "contact" | "agent";
  typing: boolean;
}

export type Availability = "online" | "away" | "offline";

// ---------------------------------------------------------------- /widget

/** Requests the widget sends, each answered through an acknowledgement. */
export const WIDGET_REQUESTS = {
  createConversation: "conversation:create",
  sendMessage: "message:send",
  syncMessages: "messages:sync",
  followUp: "conversation:follow_up",
  transcript: "conversation:transcript",
  typing: "typing",
  csat: "csat",
  nps: "nps",
  feedback: "message:feedback",
  verifyStepUp: "stepup:verify",
  resendStepUp: "stepup:resend",
} as const;

/** What each widget request carries, and the reply inside its `{ ok: true }` acknowledgement. */
export interface WidgetRequests {
  "conversation:create": { payload: Record<string, never>; reply: { conversation: ConversationSummary } };
  /** No conversation id: the first message, which opens the conversation. */
  "message:send": {
    payload: { conversationId?: string; clientId: string; content: string; attachmentIds?: string[] };
    reply: { message: Message; duplicate: boolean };
  };
  "messages:sync": {
    payload: { conversationId: string; afterSeq: number };
    reply: { conversation: ConversationSummary; messages: Message[] };
  };
  "conversation:follow_up": { payload: { conversationId: string; clientId: string; email: string }; reply: { message: Message } };
  "conversation:transcript": { payload: { conversationId: string; email: string }; reply: { sent: boolean } };
  typing: { payload: { conversationId: string; typing: boolean }; reply: Record<string, never> };
  csat: { payload: { conversationId: string; rating: number; comment?: string }; reply: Record<string, never> };
  /** The Net Promoter answer (0–10, "why?") after resolution, when the inbox asks it. */
  nps: { payload: { conversationId: string; score: number; comment?: string }; reply: Record<string, never> };
  "message:feedback": { payload: { conversationId: string; messageId: string; rating: AnswerRating }; reply: { message: Message } };
  /** The one-time code typed in the widget's code box. */
  "stepup:verify": {
    payload: { conversationId: string; challengeId: string; code: string };
    reply: { outcome: StepUpOutcome; stepUp: StepUp };
  };
  /** "Send a new code". */
  "stepup:resend": { payload: { conversationId: string; challengeId: string }; reply: { stepUp: StepUp } };
}

/** Events the server pushes to the widget. */
export const WIDGET_EVENTS = {
  message: "message",
  stream: "message:stream",
  conversation: "conversation",
  handoff: "handoff",
  typing: "typing",
  sessionRevoked: "session:revoked",
} as const;

export interface WidgetEvents {
  /** A public message in one of the customer's conversations (never a private note). */
  message: Message;
  "message:stream": StreamEvent;
  conversation: ConversationSummary;
  /** A person is taking over. */
  handoff: { conversationId: string };
  typing: TypingEvent;
  /** This session was ended (shutdown, or staff): the widget starts afresh. */
  "session:revoked": Pick<AckError, "code" | "message">;
}

// ---------------------------------------------------------------- /agent

/** Requests the console sends. */
export const AGENT_REQUESTS = {
  presence: "presence",
  typing: "typing",
} as const;

export interface AgentRequests {
  presence: { payload: { availability: "online" | "away" }; reply: Record<string, never> };
  typing: { payload: { conversationId: string; typing: boolean }; reply: Record<string, never> };
}

/** Events the server pushes to the console. */
export const AGENT_EVENTS = {
  message: "message",
  messageUpdated: "message:updated",
  conversation: "conversation",
  handoff: "handoff",
  stream: "message:stream",
  typing: "typing",
  presence: "presence",
  csat: "csat",
  case: "case",
  caseAlert: "case_alert",
  sla: "sla",
  slaAlert: "sla_alert",
  /** An early-warning threshold was crossed, or its alert recovered or was acknowledged (admins). */
  earlyWarning: "early_warning",
  /** Events of a few milliseconds for the same rooms, in one packet (server/services/realtime/batchAgentEvents.ts). */
  batch: "events",
} as const;

export interface AgentEvents {
  /** Messages carry no assistant trace here: the console asks for it with the conversation's messages. */
  message: { message: Message; conversation: Conversation };
  /** A stored message changed: the customer's verdict on an answer, a channel reply's delivery status. */
  "message:updated": { message: Message };
  conversation: Conversation;
  handoff: { conversation: Conversation; reason: string };
  "message:stream": StreamEvent;
  typing: TypingEvent;
  presence: { agentId: string; availability: Availability };
  csat: { conversationId: string; csat: Csat };
  /** A complaint case the agent may see changed (opened, moved, extended...). */
  case: Case;
  case_alert: CaseClockAlert;
  /** A conversation's service levels changed (null: no policy applies any more). */
  sla: { conversationId: string; sla: ConversationSla | null };
  /** A service-level target near (80 %) or past its due time. */
  sla_alert: SlaAlert;
  early_warning: EarlyWarningAlert;
  /** `[[event, payload], ...]`, in the order they happened. */
  events: Array<[Exclude<keyof AgentEvents, "events">, unknown]>;
}

/** What the server pushes, by namespace. */
export interface ServerEvents {
  [WIDGET_NAMESPACE]: WidgetEvents;
  [AGENT_NAMESPACE]: AgentEvents;
}
