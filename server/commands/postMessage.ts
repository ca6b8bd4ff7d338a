import type { AppContext } from "../context.ts";
import type { Attachment, ConversationRow, MessageRow, MessageType, SenderType } from "../conversations/types.ts";
import { findConversation } from "../conversations/queries.ts";
import { AppError, notFound } from "../errors.ts";

export interface PostMessageProps {
  conversationId: string;
  messageType: MessageType;
  senderType: SenderType;
  senderId?: string | null;
  content: string;
  /** A private note: staff only, never sent to the customer. */
  private?: boolean;
  /** Supplied by the client; a message re-sent with the same id is stored once. */
  clientId?: string | null;
  attachments?: Attachment[];
  contentAttributes?: Record<string, unknown>;
}

export interface PostMessageResult {
  message: MessageRow;
  conversation: ConversationRow;
  /** True when this client id was already stored: nothing new was written. */
  duplicate: boolean;
}

/**
 * Stores a message in a conversation and returns it once it is committed: callers
 * acknowledge only after this resolves, so an acknowledged message is never lost.
 *
 * The conversation row is locked for the transaction, which serialises writers:
 * the per-conversation sequence number has no gaps or duplicates, and a re-sent
 * client id finds the first copy. Side effects on the conversation follow
 * Chatwoot: a customer message starts the waiting clock and re-opens a resolved or
 * snoozed conversation; the first human reply records the first response time.
 */
export async function postMessage(ctx: AppContext, props: PostMessageProps): Promise<PostMessageResult> {
  const content = props.content ?? "";
  if (content.length > ctx.config.MAX_MESSAGE_LENGTH) {
    throw new AppError("payload_too_large", `A message may have at most ${ctx.config.MAX_MESSAGE_LENGTH} characters`);
  }
  if (!content.trim() && !props.attachments?.length) {
    throw new AppError("validation_error", "A message needs text or an attachment");
  }

  const result = await ctx.db.transaction(async (tx) => {
    const conversation = await findConversation(tx, props.conversationId, { forUpdate: true });
    if (!conversation) throw notFound("Conversation");

    if (props.clientId) {
      const existing = await tx.query<MessageRow>("SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2", [
        conversation.id,
        props.clientId,
      ]);
      if (existing.rows[0]) return { message: existing.rows[0], conversation, duplicate: true };
    }

    const seq = conversation.last_seq + 1;
    const { rows } = await tx.query<MessageRow>(
      `INSERT INTO messages (conversation_id, seq, message_type, private, sender_type, sender_id, content,
                             content_attributes, attachments, client_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        conversation.id,
        seq,
        props.messageType,
        props.private ?? false,
        props.senderType,
        props.senderId ?? null,
        content,
        JSON.stringify(props.contentAttributes ?? {}),
        JSON.stringify(props.attachments ?? []),
        props.clientId ?? null,
      ],
    );

    const fromCustomer = props.messageType === "incoming";
    const humanReply = props.messageType === "outgoing" && props.senderType === "agent" && !props.private;
    // A customer writing again re-opens the conversation: to the bot when it was
    // resolved (a new question), to the humans when it was snoozed.
    const nextStatus =
      fromCustomer && conversation.status === "resolved"
        ? "pending"
        : fromCustomer && conversation.status === "snoozed"
          ? "open"
          : conversation.status;
    const updated = await tx.query<ConversationRow>(
      `UPDATE conversations SET
         last_seq = $2,
         last_activity_at = now(),
         updated_at = now(),
         status = $3,
         snoozed_until = CASE WHEN $3 <> 'snoozed' THEN NULL ELSE snoozed_until END,
         resolved_at = CASE WHEN $3 <> 'resolved' THEN NULL ELSE resolved_at END,
         waiting_since = CASE
           WHEN $4::boolean AND $3 <> 'pending' THEN COALESCE(waiting_since, now())
           WHEN $5::boolean THEN NULL
           ELSE waiting_since END,
         first_reply_at = CASE WHEN $5::boolean THEN COALESCE(first_reply_at, now()) ELSE first_reply_at END
       WHERE id = $1 RETURNING *`,
      [conversation.id, seq, nextStatus, fromCustomer, humanReply],
    );
    return { message: rows[0]!, conversation: updated.rows[0]!, duplicate: false, previousStatus: conversation.status };
  });

  if (!result.duplicate) {
    ctx.bus.emit("message.created", { conversation: result.conversation, message: result.message });
    const prev = (result as { previousStatus?: string }).previousStatus;
    if (prev && prev !== result.conversation.status) {
      ctx.bus.emit("conversation.status_changed", { conversation: result.conversation, from: prev, to: result.conversation.status });
    }
  }
  return { message: result.message, conversation: result.conversation, duplicate: result.duplicate };
}
