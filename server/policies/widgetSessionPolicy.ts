import type { Actor } from "../actor.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { canReadConversation } from "./conversationPolicy.ts";

/**
 * Ending a customer's widget sessions (a lost phone, a shared computer, suspected
 * fraud): admins, and agents who can see the customer — through a conversation of
 * theirs they may read, as the contact page shows them.
 */
export function canRevokeWidgetSessions(
  actor: Actor,
  conversations: Array<Pick<ConversationRow, "contact_id" | "team_id" | "assignee_id">>,
): boolean {
  if (actor.type === "system" || (actor.type === "agent" && actor.role === "admin")) return true;
  return actor.type === "agent" && actor.role === "agent" && conversations.some((c) => canReadConversation(actor, c));
}
