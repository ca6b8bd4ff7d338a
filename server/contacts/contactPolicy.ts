import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { canReadConversation } from "../policies/conversationPolicy.ts";
import { findContact, listConversationsOfContact } from "../conversations/queries.ts";
import { forbidden, notFound } from "../errors.ts";

/**
 * Who may see and change a customer's profile; the only place that decides it.
 *
 * - admins: every contact;
 * - agents: a contact they meet through a conversation they may read
 *   (canReadConversation), so a customer's profile tells no more than their conversations;
 * - content editors and customers: none.
 *
 * Recording the vulnerability flag, merging and undoing a merge need the same: the
 * agents who serve the customer do it (issue #17 §3), and a merge needs it of both contacts.
 */
export function isContactStaff(actor: Actor): actor is Extract<Actor, { type: "agent" }> {
  return actor.type === "agent" && actor.role !== "content";
}

/**
 * The contact and the conversations the actor may read of it; not found (never
 * forbidden) for one the actor may not see, so ids cannot be probed.
 */
export async function authorizeContact(
  db: Queryable,
  actor: Actor,
  contactId: string,
): Promise<{ contact: ContactRow; conversations: ConversationRow[] }> {
  if (!isContactStaff(actor)) throw forbidden("Agents only");
  const contact = await findContact(db, contactId);
  if (!contact) throw notFound("Contact");
  const conversations = (await listConversationsOfContact(db, contact.id)).filter((c) => canReadConversation(actor, c));
  if (conversations.length === 0 && actor.role !== "admin") throw notFound("Contact");
  return { contact, conversations };
}

/**
 * Contacts an agent may find by search: all for admins; for agents those with a
 * conversation of no team, of one of their teams, or assigned to them (as canReadConversation).
 */
export function contactSearchScope(actor: Extract<Actor, { type: "agent" }>): { agentId: string; teamIds: string[] } | undefined {
  return actor.role === "admin" ? undefined : { agentId: actor.id, teamIds: actor.teamIds };
}
