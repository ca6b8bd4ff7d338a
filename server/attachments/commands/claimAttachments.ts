import type { AppContext } from "../../context.ts";
import type { Attachment } from "../../../shared/wire/index.ts";
import type { AttachmentRow } from "../types.ts";
import { presentAttachment } from "../presentAttachment.ts";
import { AppError } from "../../errors.ts";
import type { MessageFiles } from "../../commands/receiveCustomerMessage.ts";

export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

/**
 * Binds a contact's (or an agent's) uploaded attachments to a conversation, for a
 * message about to be posted, and returns them as the message carries them. Only
 * the uploader's own files qualify, and a file already in another conversation
 * does not; claiming again for the same conversation is a no-op (a re-sent message).
 */
export async function claimAttachments(
  ctx: AppContext,
  props: ({ contactId: string; agentId?: undefined } | { agentId: string; contactId?: undefined }) & {
    conversationId: string;
    ids: string[];
  },
): Promise<Attachment[]> {
  const ids = [...new Set(props.ids)];
  if (!ids.length) return [];
  if (ids.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw new AppError("validation_error", `A message may have at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments`);
  }
  const { rows } = await ctx.db.query<AttachmentRow>(
    `UPDATE attachments SET conversation_id = $3
     WHERE id = ANY($1::uuid[]) AND ${props.agentId ? "agent_id" : "contact_id"} = $2 AND (conversation_id IS NULL OR conversation_id = $3)
     RETURNING *`,
    [ids, props.agentId ?? props.contactId, props.conversationId],
  );
  if (rows.length !== ids.length) throw new AppError("not_found", "An attachment was not found; please attach the file again");
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => presentAttachment(byId.get(id)!));
}

/** Records which message carries the attachments (for the console and clean-up). */
export async function linkAttachments(ctx: AppContext, messageId: string, attachments: Attachment[]): Promise<void> {
  if (!attachments.length) return;
  await ctx.db.query("UPDATE attachments SET message_id = $1 WHERE id = ANY($2::uuid[]) AND message_id IS NULL", [
    messageId,
    attachments.map((a) => a.id),
  ]);
}

/**
 * A customer's files for one message (commands/receiveCustomerMessage.ts), from this
 * slice: the shared commands import no feature folder, so the socket hands this in.
 */
export function customerMessageFiles(ctx: AppContext, contactId: string): MessageFiles {
  return {
    async assertSendable(attachmentIds) {
      // A first message's files, checked before its conversation is opened: another customer's
      // (or an already sent) attachment id would be refused by the claim only after it existed.
      const ids = [...new Set(attachmentIds)];
      const { rows } = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM attachments WHERE id = ANY($1::uuid[]) AND contact_id = $2 AND conversation_id IS NULL",
        [ids, contactId],
      );
      if (rows[0]!.n !== ids.length) throw new AppError("not_found", "An attachment was not found; please attach the file again");
    },
    claim: (conversationId, ids) => claimAttachments(ctx, { contactId, conversationId, ids }),
    link: (messageId, attachments) => linkAttachments(ctx, messageId, attachments),
  };
}
