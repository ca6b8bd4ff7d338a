import type { AppContext } from "../context.ts";
import type { Attachment } from "../../shared/wire/index.ts";
import type { ConversationRow, MessageRow, MessageType, SenderType } from "../models/conversations.ts";
import type { Actor } from "../actor.ts";
import { findConversation, isUuid } from "../conversations/queries.ts";
import { AppError, notFound } from "../errors.ts";
import { statement } from "../db/Database.ts";
import { customerFacingName } from "../agents/customerFacingName.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { checkWidgetWrite } from "./startWidgetSession.ts";

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
  /**
   * A message the system writes again by itself if a database crash loses it (the
   * assistant's answer): committed without waiting for the WAL flush
   * (Database.replayable). Never for a message someone is told is stored.
   */
  replayable?: boolean;
  /**
   * The caller acknowledges the message to its sender as soon as this resolves (a
   * customer's message: commands/receiveCustomerMessage.ts): the events are emitted on
   * the next turn of the event loop, after that acknowledgement, instead of before it.
   * Their listeners (the fan-out to sockets with its Redis publishes, the assistant's
   * job) were most of the time from insert to acknowledgement (eval/bench/messagePath.ts).
   */
  announceAfterReply?: boolean;
  /**
   * A customer writing through a widget session: stored only while the session is
   * live and only into the customer's own conversation, checked by the insert's own
   * statement, so a widget message costs one round trip (eval/bench/messagePath.ts).
   * When nothing is inserted, checkWidgetWrite and the policy say why (a revoked
   * session, another's conversation) before a re-sent client id is looked up.
   */
  widgetSession?: { tokenHash: string; actor: Extract<Actor, { type: "contact" }> };
  /**
   * The conversation this message opens (createConversation.ts: openConversation), not
   * announced yet: its `conversation.created` goes out just before the message's
   * events, in the same turn (after the acknowledgement with announceAfterReply), so
   * listeners hear of a conversation before its first message; and at once when the
   * message is not stored, so it is never left unannounced.
   */
  openedConversation?: ConversationRow;
  /** The widget socket the message came from, answered by its acknowledgement (DomainEvents' `message.created`). */
  originSocketId?: string;
  /**
   * A bot reply's: what the assistant learnt from the customer's message it answers,
   * written by the reply's own statement when nothing else comes between the two
   * (assistant/assistantModule.ts). A statement and a round trip fewer per reply, and
   * the conversation row updated once instead of twice (eval/bench/workerReplies.ts).
   */
  understanding?: BotUnderstanding;
}

/** What the assistant learnt from a customer's message: on the conversation, and on the message. */
export interface BotUnderstanding {
  /** The customer's message the reply answers. */
  messageId: string;
  botState: object;
  sentiment: { label: string; score: number };
  /** Merged into the customer's message's content_attributes (its sentiment and intent). */
  messageAttributes: Record<string, unknown>;
}

export interface PostMessageResult {
  message: MessageRow;
  conversation: ConversationRow;
  /** True when this client id was already stored: nothing new was written. */
  duplicate: boolean;
}

/**
 * The message insert, in one statement, one round trip (it runs for every message,
 * twice per customer question with the bot's answer: eval/bench/load.ts), kept
 * prepared. It is atomic on its own; the conversation row is locked first, and under
 * READ COMMITTED a writer that waited for the lock reads the row as the previous
 * writer left it, so seq has no gaps or duplicates. A re-sent client id hits the
 * unique (conversation_id, client_id) index and inserts nothing, whatever the
 * statement's snapshot saw.
 */
function insertMessageSql(understanding: boolean): string {
  return `WITH conv AS (
     SELECT id, last_seq, status FROM conversations
     WHERE id = $1
       -- A widget write (PostMessageProps.widgetSession): a live session, the customer's own conversation.
       AND ($13::text IS NULL
            OR (contact_id = $14::uuid AND EXISTS (SELECT 1 FROM widget_sessions WHERE token_hash = $13 AND revoked_at IS NULL)))
     FOR UPDATE
   ), ins AS (
     INSERT INTO messages (conversation_id, seq, message_type, private, sender_type, sender_id, content,
                           content_attributes, attachments, client_id, sender_name)
     SELECT conv.id, conv.last_seq + 1, $2, $3, $4, $5, $6, $7, $8, $9, $12 FROM conv
     ON CONFLICT (conversation_id, client_id) DO NOTHING
     RETURNING *
   ), next AS (
     -- A customer writing again re-opens the conversation: to the bot when it was
     -- resolved (a new question), to the humans when it was snoozed.
     SELECT ins.conversation_id AS id, ins.seq, conv.status AS previous_status,
            CASE WHEN $10::boolean AND conv.status = 'resolved' THEN 'pending'
                 WHEN $10::boolean AND conv.status = 'snoozed' THEN 'open'
                 ELSE conv.status END AS status
     FROM ins, conv
   )${
     understanding
       ? `, understood AS (
     -- BotUnderstanding: the customer's message the reply answers, in the same statement.
     UPDATE messages SET content_attributes = content_attributes || $18::jsonb WHERE id = $15
   )`
       : ""
   }
   UPDATE conversations c SET
     last_seq = next.seq,
     last_activity_at = now(),
     updated_at = now(),
     status = next.status,
     snoozed_until = CASE WHEN next.status <> 'snoozed' THEN NULL ELSE c.snoozed_until END,
     resolved_at = CASE WHEN next.status <> 'resolved' THEN NULL ELSE c.resolved_at END,
     waiting_since = CASE
       WHEN $10::boolean AND next.status <> 'pending' THEN COALESCE(c.waiting_since, now())
       WHEN $11::boolean THEN NULL
       ELSE c.waiting_since END,
     first_reply_at = CASE WHEN $11::boolean THEN COALESCE(c.first_reply_at, now()) ELSE c.first_reply_at END${
       understanding ? ", bot_state = $16, sentiment_label = $17, sentiment_score = $19" : ""
     }
   FROM next, ins
   WHERE c.id = next.id
   RETURNING c.*, next.previous_status, to_jsonb(ins) AS inserted_message`;
}
const INSERT_MESSAGE = statement(insertMessageSql(false));
/** INSERT_MESSAGE with the assistant's understanding of the question (PostMessageProps.understanding). */
const INSERT_UNDERSTOOD_REPLY = statement(insertMessageSql(true));

/**
 * Stores a message in a conversation and returns it once it is committed: callers
 * acknowledge only after this resolves, so an acknowledged message is never lost.
 *
 * The conversation row is locked while the message is written, which serialises
 * writers: the per-conversation sequence number has no gaps or duplicates, and a
 * re-sent client id finds the first copy. Side effects on the conversation follow
 * Chatwoot: a customer message starts the waiting clock and re-opens a resolved or
 * snoozed conversation; the first human reply records the first response time.
 */
export async function postMessage(ctx: AppContext, props: PostMessageProps): Promise<PostMessageResult> {
  const opened = props.openedConversation;
  if (!opened) return storeMessage(ctx, props);
  try {
    return await storeMessage(ctx, props);
  } catch (err) {
    // The conversation exists whatever became of its first message: announced all the same.
    ctx.bus.emit("conversation.created", { conversation: opened });
    throw err;
  }
}

async function storeMessage(ctx: AppContext, props: PostMessageProps): Promise<PostMessageResult> {
  const content = props.content ?? "";
  if (content.length > ctx.config.MAX_MESSAGE_LENGTH) {
    throw new AppError("payload_too_large", `A message may have at most ${ctx.config.MAX_MESSAGE_LENGTH} characters`);
  }
  if (!content.trim() && !props.attachments?.length) {
    throw new AppError("validation_error", "A message needs text or an attachment");
  }

  if (!isUuid(props.conversationId)) throw notFound("Conversation");

  const fromCustomer = props.messageType === "incoming";
  const humanReply = props.messageType === "outgoing" && props.senderType === "agent" && !props.private;
  const db = props.replayable ? ctx.db.replayable : ctx.db;
  const senderName = props.senderType === "agent" && props.senderId ? await agentName(ctx, props.senderId) : null;
  const understood = props.understanding;
  const { rows } = await db.query<ConversationRow & { previous_status: string; inserted_message: Record<string, unknown> }>(
    understood ? INSERT_UNDERSTOOD_REPLY : INSERT_MESSAGE,
    [
      props.conversationId,
      props.messageType,
      props.private ?? false,
      props.senderType,
      props.senderId ?? null,
      content,
      JSON.stringify(props.contentAttributes ?? {}),
      JSON.stringify(props.attachments ?? []),
      props.clientId ?? null,
      fromCustomer,
      humanReply,
      senderName,
      props.widgetSession?.tokenHash ?? null,
      props.widgetSession?.actor.id ?? null,
      ...(understood
        ? [
            understood.messageId,
            JSON.stringify(understood.botState),
            understood.sentiment.label,
            JSON.stringify(understood.messageAttributes),
            understood.sentiment.score,
          ]
        : []),
    ],
  );
  const result = rows[0] ? splitRow(rows[0]) : await notInserted(ctx, props);

  const opened = props.openedConversation;
  if (opened || !result.duplicate) {
    const announce = () => {
      if (opened) ctx.bus.emit("conversation.created", { conversation: opened });
      if (result.duplicate) return;
      ctx.bus.emit("message.created", {
        conversation: result.conversation,
        message: result.message,
        ...(props.originSocketId ? { originSocketId: props.originSocketId } : {}),
      });
      const prev = result.previousStatus;
      if (prev && prev !== result.conversation.status) {
        ctx.bus.emit("conversation.status_changed", { conversation: result.conversation, from: prev, to: result.conversation.status });
      }
    };
    // setImmediate runs after the promise chain this resolves (the caller's `await`, then its
    // acknowledgement, when nothing else is awaited in between), and before any I/O it waits on.
    if (props.announceAfterReply) setImmediate(announce);
    else announce();
  }
  return { message: result.message, conversation: result.conversation, duplicate: result.duplicate };
}

/** An agent's name as customers see it, looked up only for agents' messages (the hot path is customers' and the bot's). */
async function agentName(ctx: AppContext, agentId: string): Promise<string | null> {
  const { rows } = await ctx.db.query<{ name: string; display_name: string | null }>(
    "SELECT name, display_name FROM agents WHERE id = $1",
    [agentId],
  );
  return rows[0] ? customerFacingName(rows[0]) : null;
}

/** The statement's one row: the updated conversation, with the new message (as JSON) beside it. */
function splitRow(
  row: ConversationRow & { previous_status: string; inserted_message: Record<string, unknown> },
): PostMessageResult & { previousStatus: string } {
  const { previous_status, inserted_message, ...conversation } = row;
  // JSON keeps every column's value but the timestamp's type.
  const message = { ...inserted_message, created_at: new Date(inserted_message.created_at as string) } as unknown as MessageRow;
  return { message, conversation, duplicate: false, previousStatus: previous_status };
}

/**
 * Nothing was inserted: a widget write its session or the policy refuses, no such
 * conversation, or this client id is already stored there (a re-send).
 */
async function notInserted(ctx: AppContext, props: PostMessageProps): Promise<PostMessageResult & { previousStatus?: string }> {
  const session = props.widgetSession;
  if (session) authorizeRead(session.actor, await checkWidgetWrite(ctx, session.tokenHash, props.conversationId));
  return alreadyStored(ctx, props);
}

/** No such conversation, or this client id is already stored there (a re-send). */
async function alreadyStored(ctx: AppContext, props: PostMessageProps): Promise<PostMessageResult & { previousStatus?: string }> {
  const conversation = await findConversation(ctx.db, props.conversationId);
  if (!conversation) throw notFound("Conversation");
  const { rows } = props.clientId
    ? await ctx.db.query<MessageRow>("SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2", [
        conversation.id,
        props.clientId,
      ])
    : { rows: [] };
  if (!rows[0]) throw new Error(`message for conversation ${conversation.id} was neither stored nor found`);
  return { message: rows[0], conversation, duplicate: true };
}
