import { statement } from "../db/Database.ts";
import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { findInbox } from "../conversations/queries.ts";
import { notFound } from "../errors.ts";

export interface CreateConversationProps {
  inboxId: string;
  contactId: string;
  /** Channel thread reference (e-mail Message-ID, WeChat openid...). */
  externalRef?: string;
  /** A conversation starts with the bot (`pending`) unless the inbox has no bot. */
  status?: "pending" | "open";
  /**
   * The client id of the customer's message that opens it: the same id again (a
   * re-sent first message) returns the conversation it opened instead of a new one.
   */
  openedByClientId?: string;
}

/**
 * Opens a conversation for a contact on an inbox, routed to the inbox's default
 * team, or, for a customer recorded as vulnerable (contacts/vulnerability.ts), to the
 * inbox's vulnerable-customers team when it has one. It belongs to the bot
 * (`pending`) until it is handed off.
 */
const INSERT_CONVERSATION = statement(
  `INSERT INTO conversations (inbox_id, contact_id, status, team_id, external_ref, waiting_since, opened_by_client_id)
   VALUES ($1, $2, $3,
     COALESCE((SELECT t.id FROM teams t WHERE t.id::text = $7::text
                 AND EXISTS (SELECT 1 FROM contact_vulnerabilities v WHERE v.contact_id = $2)), $4::uuid),
     $5, CASE WHEN $3 = 'open' THEN now() END, $6)
   ON CONFLICT (contact_id, opened_by_client_id) WHERE opened_by_client_id IS NOT NULL DO NOTHING
   RETURNING *`,
);

export async function createConversation(ctx: AppContext, props: CreateConversationProps): Promise<ConversationRow> {
  const { conversation, opened } = await openConversation(ctx, props);
  if (opened) ctx.bus.emit("conversation.created", { conversation });
  return conversation;
}

export interface OpenedConversation {
  conversation: ConversationRow;
  /** False when a re-sent first message found the conversation it opened before (and announced then). */
  opened: boolean;
}

/**
 * createConversation without the announcement, for a customer's first message: its
 * `conversation.created` goes out with the message's events, after the customer's
 * acknowledgement (postMessage's openedConversation).
 */
export async function openConversation(ctx: AppContext, props: CreateConversationProps): Promise<OpenedConversation> {
  const inbox: InboxRow | undefined = await findInbox(ctx.db, props.inboxId);
  if (!inbox) throw notFound("Inbox");
  const status = props.status ?? (inbox.settings.botEnabled === false ? "open" : "pending");
  const { rows } = await ctx.db.query<ConversationRow>(INSERT_CONVERSATION, [
    inbox.id,
    props.contactId,
    status,
    inbox.default_team_id,
    props.externalRef ?? null,
    props.openedByClientId ?? null,
    inbox.settings.vulnerableCustomersTeamId ?? null,
  ]);
  if (!rows[0]) {
    // Opened already by the same first message, re-sent: that conversation, once.
    const { rows: existing } = await ctx.db.query<ConversationRow>(
      "SELECT * FROM conversations WHERE contact_id = $1 AND opened_by_client_id = $2",
      [props.contactId, props.openedByClientId],
    );
    return { conversation: existing[0]!, opened: false };
  }
  return { conversation: rows[0], opened: true };
}
