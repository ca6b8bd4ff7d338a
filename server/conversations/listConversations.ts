import type { Actor } from "../context.ts";
import type { Queryable } from "../db/Database.ts";
import type { ConversationRow } from "./types.ts";

export interface ConversationFilter {
  view?: "mine" | "unassigned" | "all" | "bot" | "resolved";
  status?: ConversationRow["status"];
  teamId?: string;
  inboxId?: string;
  label?: string;
  priority?: ConversationRow["priority"];
  sentiment?: "negative" | "neutral" | "positive";
  contactId?: string;
  /** Message text search (English and Chinese: substring match). */
  q?: string;
  limit?: number;
  offset?: number;
}

export interface ConversationListItem extends ConversationRow {
  contact_name: string | null;
  contact_verified: boolean;
  last_message: string | null;
}

/**
 * The inbox list, already restricted to what the actor may see (the same rule as
 * policies/conversationPolicy.ts, expressed in SQL), sorted by waiting time.
 */
export async function listConversations(db: Queryable, actor: Actor, f: ConversationFilter): Promise<{ items: ConversationListItem[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (actor.type === "contact") where.push(`c.contact_id = ${p(actor.id)}`);
  else if (actor.type === "agent" && actor.role !== "admin") {
    if (actor.role === "content") where.push("false");
    else where.push(`(c.team_id IS NULL OR c.assignee_id = ${p(actor.id)} OR c.team_id = ANY(${p(actor.teamIds)}::uuid[]))`);
  }
  switch (f.view) {
    case "mine":
      where.push(`c.assignee_id = ${p(actor.type === "agent" ? actor.id : null)} AND c.status IN ('open', 'snoozed')`);
      break;
    case "unassigned":
      where.push("c.assignee_id IS NULL AND c.status = 'open'");
      break;
    case "bot":
      where.push("c.status = 'pending'");
      break;
    case "resolved":
      where.push("c.status = 'resolved'");
      break;
  }
  if (f.status) where.push(`c.status = ${p(f.status)}`);
  if (f.teamId) where.push(`c.team_id = ${p(f.teamId)}`);
  if (f.inboxId) where.push(`c.inbox_id = ${p(f.inboxId)}`);
  if (f.label) where.push(`${p(f.label)} = ANY(c.labels)`);
  if (f.priority) where.push(`c.priority = ${p(f.priority)}`);
  if (f.sentiment) where.push(`c.sentiment_label = ${p(f.sentiment)}`);
  if (f.contactId) where.push(`c.contact_id = ${p(f.contactId)}`);
  if (f.q) {
    where.push(`EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content ILIKE ${p("%" + f.q.replace(/[\\%_]/g, "\\$&") + "%")})`);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const limit = Math.min(f.limit ?? 50, 200);
  const { rows } = await db.query<ConversationListItem & { total: number }>(
    `SELECT c.*, ct.name AS contact_name, ct.verified AS contact_verified,
            (SELECT m.content FROM messages m WHERE m.conversation_id = c.id AND m.private = false AND m.message_type <> 'activity'
              ORDER BY m.seq DESC LIMIT 1) AS last_message,
            count(*) OVER () AS total
     FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
     ${clause}
     ORDER BY c.waiting_since ASC NULLS LAST, c.last_activity_at DESC
     LIMIT ${p(limit)} OFFSET ${p(f.offset ?? 0)}`,
    params,
  );
  return { items: rows, total: rows[0] ? Number(rows[0].total) : 0 };
}
