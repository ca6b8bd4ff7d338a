import type { Actor } from "../actor.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { forbidden, notFound } from "../errors.ts";
import type { ReportVisibility } from "../reports/reportScope.ts";

/**
 * Who may see and do what with a conversation. The only place that decides it:
 * handlers and commands call these and never compare roles themselves.
 *
 * - admins: everything;
 * - agents: conversations with no team, of one of their teams, or assigned to them;
 * - content editors: no conversations (they work on the knowledge base);
 * - contacts: their own conversations only;
 * - the bot and the system: everything (they act on behalf of commands).
 */
export function canReadConversation(actor: Actor, conversation: Pick<ConversationRow, "contact_id" | "team_id" | "assignee_id">): boolean {
  switch (actor.type) {
    case "bot":
    case "system":
      return true;
    case "contact":
      return conversation.contact_id === actor.id;
    case "agent":
      if (actor.role === "admin") return true;
      if (actor.role !== "agent") return false;
      return conversation.team_id === null || conversation.assignee_id === actor.id || actor.teamIds.includes(conversation.team_id);
  }
}

/**
 * Which conversations an actor's reports count (figures and unanswered questions):
 * an agent's, those canReadConversation lets them read; undefined for everything.
 * An agent asking for a team of which they are not a member is refused.
 */
export function reportVisibility(actor: Actor, teamId?: string): ReportVisibility | undefined {
  if (actor.type !== "agent" || actor.role === "admin") return undefined;
  if (teamId && !actor.teamIds.includes(teamId)) throw forbidden("You can see the reports of your own teams only");
  return { agentId: actor.id, teamIds: actor.teamIds };
}

/** Writing (reply, note, status, assignment) needs the same visibility, and for contacts only replies. */
export const canReplyToConversation = canReadConversation;

export function canManageConversation(
  actor: Actor,
  conversation: Pick<ConversationRow, "contact_id" | "team_id" | "assignee_id">,
): boolean {
  return actor.type !== "contact" && canReadConversation(actor, conversation);
}

/** Private notes are for staff only. */
export function canSeePrivateNotes(actor: Actor): boolean {
  return actor.type !== "contact";
}

/**
 * Throws not_found (not forbidden) for a conversation the actor may not read, so that
 * ids of other customers' conversations cannot be probed.
 */
export function authorizeRead(actor: Actor, conversation: ConversationRow | undefined): ConversationRow {
  if (!conversation || !canReadConversation(actor, conversation)) throw notFound("Conversation");
  return conversation;
}

export function authorizeManage(actor: Actor, conversation: ConversationRow | undefined): ConversationRow {
  const c = authorizeRead(actor, conversation);
  if (!canManageConversation(actor, c)) throw forbidden();
  return c;
}
