/**
 * Automation rules as the API and the console's Automation section see them
 * (server/automation/; presenter: server/automation/presentAutomationRule.ts).
 */

/** What a rule waits for. `no_reply`: the customer waited `noReplyHours` without a customer-facing reply. */
export const AUTOMATION_EVENTS = [
  "conversation_created",
  "customer_message_created",
  "conversation_status_changed",
  "conversation_updated",
  "sentiment_negative",
  "sla_near_breach",
  "sla_breach",
  "no_reply",
] as const;
export type AutomationEvent = (typeof AUTOMATION_EVENTS)[number];

export const AUTOMATION_CHANNELS = ["web", "email", "sms", "whatsapp", "wechat", "api"] as const;

/** All given must hold; within a list, any value matches (labels: every one listed must be on the conversation). */
export interface AutomationConditions {
  inboxIds?: string[];
  channels?: Array<(typeof AUTOMATION_CHANNELS)[number]>;
  statuses?: Array<"pending" | "open" | "snoozed" | "resolved">;
  priorities?: Array<"none" | "low" | "medium" | "high" | "urgent">;
  labels?: string[];
  /** A contact attribute equal to a value (case-insensitive), e.g. `tier` = `vip`. */
  contactAttribute?: { key: string; value: string };
  /** The customer has (true) or has not (false) the vulnerability flag. */
  vulnerable?: boolean;
  /** The conversation's sentiment (from the assistant's reading of the customer's messages) is negative. */
  sentimentNegative?: boolean;
  /** The customer's latest message contains one of these words (case-insensitive). */
  keywords?: string[];
  /** Within or outside the inbox's working hours. */
  businessHours?: "within" | "outside";
  /** The customer is in one of these segments now (segments/; routing by segment). */
  segmentIds?: string[];
}

export type AutomationAction =
  | { type: "assign_team"; teamId: string }
  | { type: "assign_agent"; agentId: string }
  | { type: "set_priority"; priority: "none" | "low" | "medium" | "high" | "urgent" }
  | { type: "add_label"; label: string }
  | { type: "add_private_note"; content: string }
  | { type: "change_status"; status: "open" | "pending" | "resolved" | "snoozed"; snoozeMinutes?: number }
  | { type: "send_webhook_event" }
  | { type: "send_canned_reply"; cannedResponseId: string };

export interface AutomationRule {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  event: AutomationEvent;
  noReplyHours: number | null;
  conditions: AutomationConditions;
  actions: AutomationAction[];
  createdAt: string;
  updatedAt: string;
}

/** One run of a rule whose conditions held: why a conversation changed. */
export interface AutomationRun {
  id: string;
  ruleId: string | null;
  ruleName: string;
  conversationId: string | null;
  displayId: number | null;
  event: AutomationEvent;
  actionsTaken: string[];
  error: string | null;
  createdAt: string;
}
