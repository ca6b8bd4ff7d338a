import type { AppContext } from "../context.ts";
import type { Attachment } from "../../shared/wire/index.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { openConversation } from "./createConversation.ts";
import { postCustomerMessage, refuseEmptyMessage } from "./receiveCustomerMessage.ts";
import { answerNpsByReply } from "../nps/answerByReply.ts";

export interface ReceiveChannelMessageProps {
  inbox: InboxRow;
  /** How the provider identifies the customer on this inbox: phone number, wa_id, openid, e-mail address. */
  sourceId: string;
  contact?: { name?: string | null; email?: string | null; phone?: string | null };
  /** The provider's id of this message: a provider re-sending it stores nothing new. */
  providerMessageId: string;
  content: string;
  attachments?: Attachment[];
  /** Channel details kept on the message (e-mail subject and headers...). */
  attributes?: Record<string, unknown>;
  /**
   * Threading (e-mail): provider ids this message answers, most specific first. The
   * first one known on this inbox decides the conversation; when none is known a new
   * conversation starts. Without it (chat channels) the contact's latest unresolved
   * conversation on the inbox continues.
   */
  threadRefs?: string[];
  /** A conversation id to thread into when the refs are not known (our own e-mail Message-IDs carry it). */
  threadConversationId?: string;
  /** Kept on a new conversation (conversations.external_ref): the e-mail thread root, the openid... */
  externalRef?: string;
  /**
   * A new conversation starts with people (`open`), not the assistant: mail to the
   * complaints address, which the bot must not answer (it would race the handoff).
   */
  startWithPeople?: boolean;
}

export interface ReceiveChannelMessageResult {
  conversation: ConversationRow;
  message: MessageRow;
  contact: ContactRow;
  duplicate: boolean;
}

/**
 * A customer message arriving through a channel webhook: the contact is found or
 * created by its source id on the inbox, the conversation continued or opened, and
 * the message stored through `postCustomerMessage` like a widget message (so the
 * assistant, realtime fan-out and webhooks react the same way). Resolves once
 * committed, so the webhook answers 200 only for a stored message.
 *
 * Idempotent on the provider's message id: the lookup table catches a retry that
 * comes later; `postMessage`'s client id catches two deliveries in flight at once;
 * and deliveries for one customer are serialised in this process so they cannot
 * both open a conversation.
 */
export async function receiveChannelMessage(ctx: AppContext, input: ReceiveChannelMessageProps): Promise<ReceiveChannelMessageResult> {
  // Found by fuzzing (tests/fuzz): an SMS, WeChat or e-mail carrying U+0000 failed at INSERT
  // (PostgreSQL text and jsonb cannot hold it) and the webhook answered 500, which providers
  // retry forever. Like over-long text, NULs are dropped rather than the message refused.
  const props = withoutNul(input);
  // Refused before the contact and conversation are made (receiveCustomerMessage.ts).
  refuseEmptyMessage(props.content, props.attachments?.length ?? 0);
  return serialise(`${props.inbox.id}\n${props.sourceId}`, () => receive(ctx, props));
}

async function receive(ctx: AppContext, props: ReceiveChannelMessageProps): Promise<ReceiveChannelMessageResult> {
  const { inbox } = props;
  const seen = await ctx.db.query<MessageRow>(
    `SELECT m.* FROM channel_messages cm JOIN messages m ON m.id = cm.message_id
     WHERE cm.inbox_id = $1 AND cm.provider_id = $2`,
    [inbox.id, props.providerMessageId],
  );
  if (seen.rows[0]) {
    const message = seen.rows[0];
    const [conversation, contact] = await Promise.all([
      ctx.db.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [message.conversation_id]),
      ctx.db.query<ContactRow>("SELECT c.* FROM contacts c JOIN conversations v ON v.contact_id = c.id WHERE v.id = $1", [
        message.conversation_id,
      ]),
    ]);
    return { message, conversation: conversation.rows[0]!, contact: contact.rows[0]!, duplicate: true };
  }

  const contact = await findOrCreateContact(ctx, props);
  const channelAttributes = { type: inbox.channel, providerId: props.providerMessageId, ...props.attributes };
  // "9" in answer to the satisfaction survey sent after resolution: recorded, without re-opening the conversation.
  const nps = await answerNpsByReply(ctx, {
    inbox,
    contact,
    content: props.content,
    providerMessageId: props.providerMessageId,
    channelAttributes,
  });
  if (nps) {
    await ctx.db.query(
      `INSERT INTO channel_messages (inbox_id, provider_id, direction, conversation_id, message_id)
       VALUES ($1, $2, 'in', $3, $4) ON CONFLICT DO NOTHING`,
      [inbox.id, props.providerMessageId, nps.conversation.id, nps.message.id],
    );
    return { ...nps, contact, duplicate: false };
  }
  const thread = await findThread(ctx, props, contact);
  // A conversation the message opens is announced with its first message's events (postMessage's openedConversation).
  const { conversation, opened } = thread
    ? { conversation: thread, opened: false }
    : await openConversation(ctx, {
        inboxId: inbox.id,
        contactId: contact.id,
        externalRef: props.externalRef,
        ...(props.startWithPeople ? { status: "open" as const } : {}),
      });

  const posted = await postCustomerMessage(ctx, {
    conversationId: conversation.id,
    contactId: contact.id,
    content: props.content,
    attachments: props.attachments,
    // The provider id doubles as the client id: postMessage stores it once per conversation.
    clientId: `ch:${props.providerMessageId}`.slice(0, 200),
    contentAttributes: { channel: channelAttributes },
    openedConversation: opened ? conversation : undefined,
  });
  await ctx.db.query(
    `INSERT INTO channel_messages (inbox_id, provider_id, direction, conversation_id, message_id)
     VALUES ($1, $2, 'in', $3, $4) ON CONFLICT DO NOTHING`,
    [inbox.id, props.providerMessageId, posted.conversation.id, posted.message.id],
  );
  return { conversation: posted.conversation, message: posted.message, contact, duplicate: posted.duplicate };
}

async function findOrCreateContact(ctx: AppContext, props: ReceiveChannelMessageProps): Promise<ContactRow> {
  const existing = async () =>
    (
      await ctx.db.query<ContactRow>(
        `SELECT c.* FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE ci.inbox_id = $1 AND ci.source_id = $2`,
        [props.inbox.id, props.sourceId],
      )
    ).rows[0];
  const found = await existing();
  if (found) {
    // Fill in what the provider tells us and we did not know (a WhatsApp profile name...).
    const c = props.contact;
    if (c && ((c.name && !found.name) || (c.email && !found.email) || (c.phone && !found.phone))) {
      const { rows } = await ctx.db.query<ContactRow>(
        `UPDATE contacts SET name = COALESCE(name, $2), email = COALESCE(email, $3), phone = COALESCE(phone, $4), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [found.id, c.name ?? null, c.email ?? null, c.phone ?? null],
      );
      return rows[0] ?? found;
    }
    return found;
  }
  const created = await ctx.db
    .transaction(async (tx) => {
      const { rows } = await tx.query<ContactRow>("INSERT INTO contacts (name, email, phone) VALUES ($1, $2, $3) RETURNING *", [
        props.contact?.name ?? null,
        props.contact?.email ?? null,
        props.contact?.phone ?? null,
      ]);
      const link = await tx.query(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
        [rows[0]!.id, props.inbox.id, props.sourceId],
      );
      // Another node linked this source id first: roll back our contact and use theirs.
      if (link.rowCount === 0) throw new LostRace();
      return rows[0]!;
    })
    .catch((err) => {
      if (err instanceof LostRace) return undefined;
      throw err;
    });
  return created ?? (await existing())!;
}

class LostRace extends Error {}

/**
 * The conversation a message continues. A thread reference (an e-mail's In-Reply-To
 * or References, or our own Message-ID) counts only for the sender's own
 * conversations: anyone can copy those headers, and a hostile tester wrote into a
 * customer's conversation that way. Someone else's reply starts a conversation.
 */
async function findThread(ctx: AppContext, props: ReceiveChannelMessageProps, contact: ContactRow): Promise<ConversationRow | undefined> {
  if (props.threadRefs) {
    for (const ref of props.threadRefs) {
      const { rows } = await ctx.db.query<ConversationRow>(
        `SELECT c.* FROM channel_messages cm JOIN conversations c ON c.id = cm.conversation_id
         WHERE cm.inbox_id = $1 AND cm.provider_id = $2 AND c.contact_id = $3`,
        [props.inbox.id, ref, contact.id],
      );
      if (rows[0]) return rows[0];
    }
    if (props.threadConversationId) {
      const { rows } = await ctx.db.query<ConversationRow>(
        "SELECT * FROM conversations WHERE id = $1 AND inbox_id = $2 AND contact_id = $3",
        [props.threadConversationId, props.inbox.id, contact.id],
      );
      if (rows[0]) return rows[0];
    }
    return undefined;
  }
  const { rows } = await ctx.db.query<ConversationRow>(
    `SELECT * FROM conversations WHERE inbox_id = $1 AND contact_id = $2 AND status <> 'resolved'
     ORDER BY created_at DESC LIMIT 1`,
    [props.inbox.id, contact.id],
  );
  return rows[0];
}

/** Runs tasks with the same key one after the other (in this process). */
const chains = new Map<string, Promise<unknown>>();
function serialise<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  chains.set(key, settled);
  void settled.then(() => {
    if (chains.get(key) === settled) chains.delete(key);
  });
  return run;
}

/** A copy with every U+0000 removed from strings and object keys (Dates and the inbox row are kept as they are). */
function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("\u0000", ""), k === "inbox" ? v : withoutNul(v)])) as T;
  }
  return value;
}
