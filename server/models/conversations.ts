/** Rows of conversations and messages, as the database returns them. */
import type { Attachment } from "../../shared/wire/index.ts";

export const CONVERSATION_STATUSES = ["pending", "open", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const MESSAGE_TYPES = ["incoming", "outgoing", "activity"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type SenderType = "contact" | "agent" | "bot" | "system";

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
  /** How many times its status has changed (migration 052): orders what the customer's widget receives. */
  status_version: number;
  sentiment_label: string | null;
  sentiment_score: number | null;
  bot_state: Record<string, unknown>;
  external_ref: string | null;
  /** The client id of the widget message that opened it (a re-sent first message finds it). */
  opened_by_client_id?: string | null;
  created_at: Date;
  updated_at: Date;
}

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
  /** Stored on the message as it is sent (presentAttachment): the wire contract's shape. */
  attachments: Attachment[];
  client_id: string | null;
  created_at: Date;
}
