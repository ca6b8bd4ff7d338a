/** Row shapes of the conversation core, as the database returns them. */
import type { Attachment } from "../../shared/wire/index.ts";
import type { StepUpSettings } from "../stepup/stepUpPolicy.ts";

export const CONVERSATION_STATUSES = ["pending", "open", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const MESSAGE_TYPES = ["incoming", "outgoing", "activity"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type SenderType = "contact" | "agent" | "bot" | "system";
export const ROLES = ["admin", "agent", "content"] as const;
export type Role = (typeof ROLES)[number];

export interface ConversationRow {
  id: string;
  display_id: number;
  inbox_id: string;
  contact_id: string;
  status: ConversationStatus;
  priority: Priority;
  assignee_id: string | null;
  team_id: string | null;
  labels: string[];
  handoff_reason: string | null;
  snoozed_until: Date | null;
  waiting_since: Date | null;
  first_reply_at: Date | null;
  handed_off_at: Date | null;
  resolved_at: Date | null;
  last_seq: number;
  last_activity_at: Date;
  sentiment_label: string | null;
  sentiment_score: number | null;
  bot_state: Record<string, unknown>;
  external_ref: string | null;
  /** The client id of the widget message that opened it (a re-sent first message finds it). */
  opened_by_client_id?: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Stored on the message as it is sent (presentAttachment): the wire contract's shape. */
export type { Attachment };

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  message_type: MessageType;
  private: boolean;
  sender_type: SenderType;
  sender_id: string | null;
  /** An agent's message: the name the customer was shown (customerFacingName when sent). */
  sender_name?: string | null;
  content: string;
  content_attributes: Record<string, unknown>;
  attachments: Attachment[];
  client_id: string | null;
  created_at: Date;
}

/** The customer's verdict on one of the assistant's answers (answer_feedback, 022_answer_feedback.sql). */
export const ANSWER_RATINGS = ["helpful", "not_helpful"] as const;
export type AnswerRating = (typeof ANSWER_RATINGS)[number];
/** How it was given: the buttons under the answer, or in words ("that didn't answer my question"). */
export type AnswerFeedbackVia = "button" | "words";

export interface AnswerFeedbackRow {
  message_id: string;
  conversation_id: string;
  rating: AnswerRating;
  via: AnswerFeedbackVia;
  created_at: Date;
  updated_at: Date;
}

/** The copy of the verdict kept on the answer (content_attributes.feedback), shown beside it in the widget and the console. */
export interface AnswerFeedbackMark {
  rating: AnswerRating;
  via: AnswerFeedbackVia;
  updatedAt: string;
}

export interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  verified: boolean;
  attributes: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface TeamRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
}

export interface AgentRow {
  id: string;
  email: string;
  name: string;
  /** What customers see; null: the first word of name (server/agents/customerFacingName.ts). */
  display_name: string | null;
  role: Role;
  password_hash: string;
  availability: "online" | "away" | "offline";
  capacity: number;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  /** Sealed (server/auth/twoFactorSecret.ts); null without two-factor sign-in. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  /** bigint: the driver may hand it over as a string. */
  totp_last_step: number | string | null;
  created_at: Date;
}

export const PRE_CHAT_FIELDS = ["name", "email", "phone"] as const;
export type PreChatFieldName = (typeof PRE_CHAT_FIELDS)[number];
export interface PreChatForm {
  enabled: boolean;
  fields: Array<{ name: PreChatFieldName; required: boolean }>;
}

export interface InboxSettings {
  greeting?: string;
  /** IANA zone for working hours, e.g. Asia/Shanghai. */
  timezone?: string;
  /** Per weekday (0 = Sunday) open and close "HH:MM"; a missing day is closed. */
  workingHours?: Partial<Record<"0" | "1" | "2" | "3" | "4" | "5" | "6", { open: string; close: string }>>;
  csatEnabled?: boolean;
  requireVerification?: boolean;
  /** Legacy form of `preChatForm`: these fields, all optional. */
  preChatFields?: Array<"name" | "email">;
  /** Asked of an unidentified visitor before their first message. */
  preChatForm?: PreChatForm;
  botEnabled?: boolean;
  /** Pages allowed to embed the widget (e.g. "https://www.bank.example"); any when unset. */
  allowedOrigins?: string[];
  /** What each risk level of the account tools needs: the page identity, or a one-time code too (stepup/stepUpPolicy.ts). */
  stepUp?: StepUpSettings;
  /** Complaint cases' jurisdiction: cn, uk, us, or custom with its own limits (cases/jurisdictions.ts). */
  complaints?: import("../cases/jurisdictions.ts").ComplaintsSetting;
}

export interface InboxRow {
  id: string;
  slug: string;
  name: string;
  channel: "web" | "email" | "sms" | "whatsapp" | "wechat" | "api";
  settings: InboxSettings;
  identity_secret: string;
  default_team_id: string | null;
  /** Days after resolution before retention removes a conversation (null: kept); migration 033. */
  retention_days?: number | null;
  retention_action?: "delete" | "anonymise";
  created_at: Date;
}
