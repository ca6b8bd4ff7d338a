import type { Actor } from "../actor.ts";
import type { AttachmentRow } from "../attachments/types.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { canReadConversation } from "./conversationPolicy.ts";
import { notFound } from "../errors.ts";

/**
 * Who may download an attachment: once a message references it, whoever may read
 * that conversation (its customer, the agents who see it); before that, only its
 * uploader. Anyone else gets not_found, so ids cannot be probed.
 */
export function canReadAttachment(actor: Actor, attachment: AttachmentRow, conversation: ConversationRow | undefined): boolean {
  if (conversation) return canReadConversation(actor, conversation);
  if (actor.type === "contact") return attachment.contact_id === actor.id;
  if (actor.type === "agent") return attachment.agent_id === actor.id || actor.role === "admin";
  return actor.type === "system" || actor.type === "bot";
}

export function authorizeAttachmentRead(
  actor: Actor,
  attachment: AttachmentRow | undefined,
  conversation: ConversationRow | undefined,
): AttachmentRow {
  if (!attachment || !canReadAttachment(actor, attachment, conversation)) throw notFound("Attachment");
  return attachment;
}
