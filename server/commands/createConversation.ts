import { statement } from "../db/Database.ts";
import type { AppContext } from "../context.ts";
import type { ConversationRow, InboxRow } from "../conversations/types.ts";
import { findInbox } from "../conversations/queries.ts";
import { notFound } from "../errors.ts";

export interface CreateConversationProps {
  inboxId: string;
  contactId: string;
  /** Channel thread reference (e-mail Message-ID, WeChat openid...). */
  externalRef?: string;
  /** A conversation starts with the bot (`pending`) unless the inbox has no bot. */
  status?: "pending" | "open";
}

/**
 * Opens a conversation for a contact on an inbox, routed to the inbox's default
 * team. It belongs to the bot (`pending`) until it is handed off.
 */
const INSERT_CONVERSATION = statement(
  `INSERT INTO conversations (inbox_id, contact_id, status, team_id, external_ref, waiting_since)
   VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'open' THEN now() END) RETURNING *`,
);

export async function createConversation(ctx: AppContext, props: CreateConversationProps): Promise<ConversationRow> {
  const inbox: InboxRow | undefined = await findInbox(ctx.db, props.inboxId);
  if (!inbox) throw notFound("Inbox");
  const status = props.status ?? (inbox.settings.botEnabled === false ? "open" : "pending");
  const { rows } = await ctx.db.query<ConversationRow>(INSERT_CONVERSATION, [
    inbox.id,
    props.contactId,
    status,
    inbox.default_team_id,
    props.externalRef ?? null,
  ]);
  const conversation = rows[0]!;
  ctx.bus.emit("conversation.created", { conversation });
  return conversation;
}
