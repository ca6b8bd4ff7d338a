import type { AppContext } from "../context.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import { findConversation } from "../conversations/queries.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { postMessage } from "./postMessage.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/** The label agents filter on for conversations waiting for an answer by e-mail. */
export const FOLLOW_UP_LABEL = "follow-up";

export interface RequestFollowUpProps {
  contactId: string;
  conversationId: string;
  /** Already validated (contactEmail). */
  email: string;
  /** Idempotency: the same request re-sent is recorded once. */
  clientId: string;
}

/**
 * "Leave a message": nobody can answer now (no agent online, or out of hours), so
 * the customer leaves an e-mail address. It is saved on their contact, the
 * conversation is labelled `follow-up` (agents see and filter it), and a line in the
 * transcript tells both sides where the answer will go.
 */
export async function requestFollowUp(
  ctx: AppContext,
  props: RequestFollowUpProps,
): Promise<{ conversation: ConversationRow; message: MessageRow; duplicate: boolean }> {
  const actor = { type: "contact" as const, id: props.contactId, verified: false };
  const conversation = await ctx.db.transaction(async (tx) => {
    const c = authorizeRead(actor, await findConversation(tx, props.conversationId, { forUpdate: true }));
    await tx.query("UPDATE contacts SET email = $2, updated_at = now() WHERE id = $1", [props.contactId, props.email]);
    const labels = c.labels.includes(FOLLOW_UP_LABEL) ? c.labels : [...c.labels, FOLLOW_UP_LABEL];
    const { rows } = await tx.query<ConversationRow>("UPDATE conversations SET labels = $2, updated_at = now() WHERE id = $1 RETURNING *", [
      c.id,
      labels,
    ]);
    await writeAudit(tx, { actor, action: "conversation.follow_up_requested", targetType: "conversation", targetId: c.id });
    return rows[0]!;
  });
  const { message, duplicate } = await postMessage(ctx, {
    conversationId: conversation.id,
    messageType: "activity",
    senderType: "system",
    content: `The customer asked for a reply by e-mail to ${props.email}`,
    clientId: props.clientId,
    contentAttributes: { kind: "follow_up", email: props.email },
  });
  if (!duplicate) ctx.bus.emit("conversation.updated", { conversation, changes: ["labels", "follow_up"] });
  return { conversation, message, duplicate };
}
