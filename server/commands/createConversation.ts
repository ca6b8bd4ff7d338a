import { statement } from "../db/Database.ts";
import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { isUuid } from "../conversations/queries.ts";
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
 * (`pending`) until it is handed off, or is `open` at once on an inbox without a bot
 * (settings.botEnabled false), unless the caller says which.
 *
 * The inbox is read by the insert itself: one round trip where a separate lookup made
 * two, on every new conversation (a first message took four round trips before its
 * acknowledgement: eval/bench/load.ts, whose customers all start conversations).
 */
const INSERT_CONVERSATION = statement(
  `INSERT INTO conversations (inbox_id, contact_id, status, team_id, external_ref, waiting_since, opened_by_client_id)
   SELECT i.id, $2, s.status,
     COALESCE((SELECT t.id FROM teams t WHERE t.id::text = i.settings->>'vulnerableCustomersTeamId'
                 AND EXISTS (SELECT 1 FROM contact_vulnerabilities v WHERE v.contact_id = $2)), i.default_team_id),
     $4, CASE WHEN s.status = 'open' THEN now() END, $5
   FROM inboxes i,
     LATERAL (SELECT COALESCE($3::text, CASE WHEN i.settings->'botEnabled' = 'false'::jsonb THEN 'open' ELSE 'pending' END) AS status) s
   WHERE i.id = $1
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
  if (!isUuid(props.inboxId)) throw notFound("Inbox");
  const { rows } = await ctx.db.query<ConversationRow>(INSERT_CONVERSATION, [
    props.inboxId,
    props.contactId,
    props.status ?? null,
    props.externalRef ?? null,
    props.openedByClientId ?? null,
  ]);
  if (rows[0]) return { conversation: rows[0], opened: true };
  // Nothing inserted: opened already by the same first message, re-sent (that conversation, once), or no such inbox.
  const { rows: existing } = props.openedByClientId
    ? await ctx.db.query<ConversationRow>("SELECT * FROM conversations WHERE contact_id = $1 AND opened_by_client_id = $2", [
        props.contactId,
        props.openedByClientId,
      ])
    : { rows: [] };
  if (!existing[0]) throw notFound("Inbox");
  return { conversation: existing[0], opened: false };
}
