import type { AppContext } from "../context.ts";
import type { Attachment } from "../../shared/wire/index.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { AppError } from "../errors.ts";
import { openConversation } from "./createConversation.ts";
import { postMessage, type PostMessageProps, type PostMessageResult } from "./postMessage.ts";
import { checkWidgetWrite } from "./startWidgetSession.ts";

/**
 * What every customer message goes through, whatever its channel (the widget here,
 * e-mail, SMS and the chat apps in receiveChannelMessage.ts):
 * - refused before any I/O when it could not be stored (refuseEmptyMessage), so a
 *   refused first message leaves no conversation or contact behind;
 * - stored once per client id (the widget's, or the provider's message id), and
 *   acknowledged only once committed;
 * - announced after the acknowledgement (postCustomerMessage): the fan-out to sockets
 *   and the assistant's job follow the reply to the customer instead of delaying it,
 *   and so does the `conversation.created` of a conversation the message opens (just
 *   before the message's own events: postMessage's openedConversation).
 */

/** Refuses a message that has neither text nor an attachment, before anything is read or written. */
export function refuseEmptyMessage(content: string, attachmentCount: number): void {
  // Found by fuzzing (tests/fuzz): a first message that postMessage then refused (empty text,
  // "\u0000" as a WeChat text) still created its conversation (and contact), leaving an empty
  // one in the agents' queue. What would be refused is refused before anything is written.
  if (!content.trim() && !attachmentCount) throw new AppError("validation_error", "A message needs text or an attachment");
}

export interface PostCustomerMessageProps {
  conversationId: string;
  contactId: string;
  content: string;
  /** The client's id of the message: the same id again is a re-send, stored once. */
  clientId: string;
  attachments?: Attachment[];
  contentAttributes?: Record<string, unknown>;
  /** A widget write, its session and ownership checked by the insert (PostMessageProps.widgetSession). */
  widgetSession?: PostMessageProps["widgetSession"];
  /** The conversation this message opened, announced with it (PostMessageProps.openedConversation). */
  openedConversation?: ConversationRow;
  /** The widget socket it came from, whose acknowledgement carries it (PostMessageProps.originSocketId). */
  originSocketId?: string;
}

/**
 * Stores a customer's message in a conversation already found or opened for it. It
 * resolves once committed; its domain events are emitted on the next turn of the
 * event loop, after the caller has acknowledged it (postMessage's `announceAfterReply`).
 * A crash between the two loses no answer: the unanswered-message sweep
 * (assistant/findUnanswered.ts) queues the assistant's reply to any stored question
 * it did not answer, as it does for a reply job lost with Redis.
 */
export function postCustomerMessage(ctx: AppContext, props: PostCustomerMessageProps): Promise<PostMessageResult> {
  return postMessage(ctx, {
    conversationId: props.conversationId,
    messageType: "incoming",
    senderType: "contact",
    senderId: props.contactId,
    content: props.content,
    clientId: props.clientId,
    attachments: props.attachments,
    contentAttributes: props.contentAttributes,
    widgetSession: props.widgetSession,
    openedConversation: props.openedConversation,
    originSocketId: props.originSocketId,
    announceAfterReply: true,
  });
}

/**
 * The files sent with a message, by the attachments slice (attachments/commands/
 * claimAttachments.ts: customerMessageFiles), handed in by the caller.
 */
export interface MessageFiles {
  /** Refuses ids that are not the customer's own unsent uploads: for a first message, before its conversation is opened. */
  assertSendable(ids: string[]): Promise<void>;
  /** Binds the files to the conversation (again, harmlessly, for a re-send) and returns them as the message carries them. */
  claim(conversationId: string, ids: string[]): Promise<Attachment[]>;
  /** Records which message carries them. */
  link(messageId: string, attachments: Attachment[]): Promise<void>;
}

export interface ReceiveWidgetMessageProps {
  /** The widget session the socket authenticated with (its token's hash), and who it is. */
  session: { tokenHash: string; contactId: string; inboxId: string; verified: boolean };
  /** The socket it was sent on: acknowledged there, so its live event goes only to the customer's other sockets. */
  originSocketId?: string;
  /** Absent for the first message: the message opens the conversation. */
  conversationId?: string;
  clientId: string;
  content: string;
  /** Files uploaded by this contact beforehand, sent with the message (`files` binds them). */
  attachmentIds?: string[];
  files: MessageFiles;
}

/**
 * A customer's message from the web widget (the socket's `message:send`). The
 * session is checked again with every message (a token revoked on another node
 * cannot keep writing through an old socket): for text into a conversation, the
 * usual message, by the insert's own statement, in its one round trip; otherwise
 * before the files are bound or a conversation opened. A first message opens its
 * conversation, once per client id, so a re-sent first message does not open a
 * second one. The files are bound to the conversation first (a re-send binds them
 * again, harmlessly) and to the message once it is stored.
 */
export async function receiveWidgetMessage(ctx: AppContext, props: ReceiveWidgetMessageProps): Promise<PostMessageResult> {
  const { session, files } = props;
  const actor = { type: "contact" as const, id: session.contactId, verified: session.verified };
  const ids = props.attachmentIds ?? [];
  refuseEmptyMessage(props.content, ids.length);
  const message = { contactId: actor.id, content: props.content, clientId: props.clientId, originSocketId: props.originSocketId };
  if (props.conversationId && !ids.length) {
    return postCustomerMessage(ctx, {
      ...message,
      conversationId: props.conversationId,
      widgetSession: { tokenHash: session.tokenHash, actor },
    });
  }
  const named = await checkWidgetWrite(ctx, session.tokenHash, props.conversationId);
  if (!props.conversationId && ids.length) await files.assertSendable(ids);
  const { conversation, opened } = props.conversationId
    ? { conversation: authorizeRead(actor, named), opened: false }
    : await openConversation(ctx, { inboxId: session.inboxId, contactId: actor.id, openedByClientId: props.clientId });
  const openedConversation = opened ? conversation : undefined;
  let attachments: Attachment[] = [];
  try {
    if (ids.length) attachments = await files.claim(conversation.id, ids);
  } catch (err) {
    // Opened, but its first message not stored: the conversation is announced all the same.
    if (openedConversation) ctx.bus.emit("conversation.created", { conversation });
    throw err;
  }
  const posted = await postCustomerMessage(ctx, { ...message, conversationId: conversation.id, attachments, openedConversation });
  if (!posted.duplicate && attachments.length) await files.link(posted.message.id, attachments);
  return posted;
}
