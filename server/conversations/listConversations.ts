import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { segmentCondition, type SegmentCriteria } from "../segments/segmentCriteria.ts";

export interface ConversationFilter {
  view?: "mine" | "unassigned" | "all" | "bot" | "resolved";
  status?: ConversationRow["status"];
  teamId?: string;
  inboxId?: string;
  label?: string;
  priority?: ConversationRow["priority"];
  sentiment?: "negative" | "neutral" | "positive";
  contactId?: string;
  /** A customer segment's criteria: its customers' conversations only. */
  segment?: SegmentCriteria;
  /** Message text search (English and Chinese: substring match). */
  q?: string;
  /** `waiting` (default): longest waiting first; `sla`: the soonest service-level due time first (breached on top). */
  sort?: "waiting" | "sla";
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
/** Sizes of the inbox views (Mine, Unassigned, All, Bot, Resolved) for one agent, in one query. */
export async function countViews(db: Queryable, actor: Actor): Promise<Record<"mine" | "unassigned" | "all" | "bot" | "resolved", number>> {
  const { where, params } = visibility(actor);
  params.push(actor.type === "agent" ? actor.id : null);
  const me = `$${params.length}`;
  const { rows } = await db.query<{ mine: number; unassigned: number; all: number; bot: number; resolved: number }>(
    `SELECT count(*) FILTER (WHERE c.assignee_id = ${me} AND c.status IN ('open', 'snoozed'))::int AS mine,
            count(*) FILTER (WHERE c.assignee_id IS NULL AND c.status = 'open')::int AS unassigned,
            count(*)::int AS "all",
            count(*) FILTER (WHERE c.status = 'pending')::int AS bot,
            count(*) FILTER (WHERE c.status = 'resolved')::int AS resolved
     FROM conversations c ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`,
    params,
  );
  return rows[0]!;
}

/** The visibility rule of policies/conversationPolicy.ts, as SQL. */
function visibility(actor: Actor): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (actor.type === "contact") {
    params.push(actor.id);
    where.push(`c.contact_id = $${params.length}`);
  } else if (actor.type === "agent" && actor.role !== "admin") {
    if (actor.role === "content") where.push("false");
    else {
      params.push(actor.id, actor.teamIds);
      where.push(`(c.team_id IS NULL OR c.assignee_id = $${params.length - 1} OR c.team_id = ANY($${params.length}::uuid[]))`);
    }
  }
  return { where, params };
}

export async function listConversations(
  db: Queryable,
  actor: Actor,
  f: ConversationFilter,
): Promise<{ items: ConversationListItem[]; total: number }> {
  const { where, params } = visibility(actor);
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
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
  if (f.segment) where.push(segmentCondition(f.segment, "c.contact_id", p));
  if (f.q) {
    // Substring match (ILIKE), served by the trigram index (007_assignment.sql) for
    // three characters or more, and by the Han bigram index for Chinese words.
    const like = p("%" + f.q.replace(/[\\%_]/g, "\\$&") + "%");
    const han = /[\u4e00-\u9fff]{2}/.test(f.q) ? ` AND han_bigrams(m.content) @> han_bigrams(${p(f.q)}) AND m.content ~ '[一-鿿]'` : "";
    // ARRAY(...) runs the match once (an init plan): the planner cannot turn it into a
    // per-conversation scan of its messages, which is far slower for common words.
    where.push(`c.id = ANY(ARRAY(SELECT m.conversation_id FROM messages m WHERE m.content ILIKE ${like}${han}))`);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const limit = Math.min(f.limit ?? 50, 200);
  // Without a text search the page comes from the sort index and stops after `limit`
  // rows; the total is a separate count (no need to fetch and sort every row). With a
  // search, matching dominates: the page and its total come from one pass.
  const filterParams = [...params];
  const counted = Boolean(f.q);
  const bySla = f.sort === "sla";
  // Due times of targets no longer running are cleared (sla/refreshConversationSla.ts): NULLS LAST puts those below.
  const order = (t: string, slaDue: string) =>
    `${bySla ? `${slaDue} ASC NULLS LAST, ` : ""}${t}.waiting_since ASC NULLS LAST, ${t}.last_activity_at DESC, ${t}.id`;
  const pageSql = `WITH page AS (
       SELECT c.*${bySla ? ", s.next_due_at AS sla_due" : ""}${counted ? ", count(*) OVER () AS total" : ""} FROM conversations c
       ${bySla ? "LEFT JOIN conversation_slas s ON s.conversation_id = c.id" : ""}
       ${clause}
       ORDER BY ${order("c", "s.next_due_at")}
       LIMIT ${p(limit)} OFFSET ${p(f.offset ?? 0)}
     )
     SELECT page.*, ct.name AS contact_name, ct.verified AS contact_verified,
            -- What the customer last wrote (the bot's "our team isn't online" says nothing
            -- about the conversation); a conversation without one shows its last reply.
            (SELECT m.content FROM messages m WHERE m.conversation_id = page.id AND m.private = false AND m.message_type <> 'activity'
              ORDER BY (m.message_type = 'incoming') DESC, m.seq DESC LIMIT 1) AS last_message
     FROM page JOIN contacts ct ON ct.id = page.contact_id
     ORDER BY ${order("page", "page.sla_due")}`;
  const [{ rows }, count] = await Promise.all([
    db.query<ConversationListItem & { total?: number }>(pageSql, params),
    counted
      ? Promise.resolve(undefined)
      : db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c ${clause}`, filterParams),
  ]);
  const total = count ? count.rows[0]!.n : rows[0] ? Number(rows[0].total) : 0;
  for (const r of rows) {
    delete r.total;
    delete (r as { sla_due?: unknown }).sla_due;
  }
  return { items: rows, total };
}
