import type { AutomationConditions } from "../../shared/wire/index.ts";
import type { ConversationRow } from "../models/conversations.ts";

/** What a rule's conditions look at, gathered once per run (automation/ruleFacts.ts). */
export interface RuleFacts {
  conversation: Pick<ConversationRow, "inbox_id" | "status" | "priority" | "labels" | "sentiment_label">;
  channel: string;
  contactAttributes: Record<string, unknown>;
  vulnerable: boolean;
  /** The customer's message the event is about, else their latest one (null: none yet). */
  messageText: string | null;
  withinHours: boolean;
  /** The segments the customer is in now, of those the rules being run name (segments/segments.ts segmentsOfContact). */
  segmentIds: string[];
}

/**
 * Whether every condition given holds (all-of, as Chatwoot's rules with AND); an
 * empty set matches every conversation. Returns the first condition that fails, so
 * a run can say why a rule did nothing.
 */
export function matchConditions(
  c: AutomationConditions,
  f: RuleFacts,
): { matched: true } | { matched: false; failed: keyof AutomationConditions } {
  const checks: Array<[keyof AutomationConditions, () => boolean]> = [
    ["inboxIds", () => c.inboxIds!.includes(f.conversation.inbox_id)],
    ["channels", () => (c.channels as string[]).includes(f.channel)],
    ["statuses", () => (c.statuses as string[]).includes(f.conversation.status)],
    ["priorities", () => (c.priorities as string[]).includes(f.conversation.priority)],
    ["labels", () => c.labels!.every((l) => f.conversation.labels.includes(l))],
    [
      "contactAttribute",
      () => {
        const v = f.contactAttributes[c.contactAttribute!.key];
        return (
          (typeof v === "string" || typeof v === "number" || typeof v === "boolean") &&
          String(v).toLowerCase() === c.contactAttribute!.value.toLowerCase()
        );
      },
    ],
    ["vulnerable", () => f.vulnerable === c.vulnerable],
    ["sentimentNegative", () => (f.conversation.sentiment_label === "negative") === c.sentimentNegative],
    [
      "keywords",
      () => {
        const text = f.messageText?.toLowerCase();
        return Boolean(text) && c.keywords!.some((k) => text!.includes(k.toLowerCase()));
      },
    ],
    ["businessHours", () => f.withinHours === (c.businessHours === "within")],
    ["segmentIds", () => c.segmentIds!.some((id) => f.segmentIds.includes(id))],
  ];
  for (const [name, holds] of checks) {
    if (c[name] !== undefined && !holds()) return { matched: false, failed: name };
  }
  return { matched: true };
}
