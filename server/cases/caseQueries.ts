import type { Queryable } from "../db/Database.ts";
import type { CaseEventRow, CaseRow, TaxonomyRow } from "./types.ts";
import type { CaseStatus } from "../../shared/wire/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A case by id or by its reference (CR-2026-000123), optionally locked for an update. */
export async function findCase(db: Queryable, idOrReference: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  const byId = UUID.test(idOrReference);
  const { rows } = await db.query<CaseRow>(
    `SELECT * FROM cases WHERE ${byId ? "id = $1" : "reference = upper($1)"}${opts.forUpdate ? " FOR UPDATE" : ""}`,
    [idOrReference],
  );
  return rows[0];
}

/**
 * Agents who handled a conversation: its assignee and every agent who wrote in it.
 * They may not own a complaint about it (casePolicy.checkOwner).
 */
export async function conversationHandlers(db: Queryable, conversationId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT assignee_id AS id FROM conversations WHERE id = $1 AND assignee_id IS NOT NULL
     UNION SELECT DISTINCT sender_id FROM messages WHERE conversation_id = $1 AND sender_type = 'agent' AND sender_id IS NOT NULL`,
    [conversationId],
  );
  return rows.map((r) => r.id);
}

const REFERENCE = /\bCR-\d{4}-\d{6}\b/gi;
/** Asking how a complaint is going ("what's the status of my complaint", "我的投诉处理到哪一步了"). */
const ASKS_PROGRESS =
  /\b(status|progress|update|any news|where are (you|we)|how long|when will|heard back|still waiting)\b|(进度|进展|到哪|处理得?怎么样|处理好了吗|有结果|还没(有)?(回复|答复|结果)|什么时候(能)?(回复|答复|处理))/i;

/**
 * The customer's running case a message is about, rather than a new complaint: one it
 * quotes by reference, or, when it asks how their complaint is going, their latest
 * running case. Undefined when it is about neither (then it is a new complaint).
 */
export async function runningCaseAskedAbout(db: Queryable, contactId: string, text: string): Promise<CaseRow | undefined> {
  const references = [...text.matchAll(REFERENCE)].map((m) => m[0].toUpperCase());
  if (!references.length && !ASKS_PROGRESS.test(text)) return undefined;
  const { rows } = await db.query<CaseRow>(
    `SELECT * FROM cases WHERE contact_id = $1 AND status <> 'closed' ${references.length ? "AND reference = ANY($2::text[])" : ""}
     ORDER BY created_at DESC LIMIT 1`,
    references.length ? [contactId, references] : [contactId],
  );
  return rows[0];
}

/** Which cases a list shows: the console's Cases views. */
export const CASE_VIEWS = ["all", "mine", "team", "due_soon", "breached", "closed"] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

export type CaseListEntry = CaseRow & { owner_name: string | null; contact_name: string | null };

/** The cases of a view this agent may read, open ones by soonest deadline first, each with its owner's and customer's names. */
export async function listCasesForAgent(
  db: Queryable,
  agent: { id: string; teamIds: string[]; admin: boolean },
  filter: { view: CaseView; status?: CaseStatus; contactId?: string; conversationId?: string; limit: number },
): Promise<CaseListEntry[]> {
  const running = "c.final_response_at IS NULL AND c.status <> 'closed'";
  const view = {
    all: "c.status <> 'closed'",
    mine: "c.owner_id = $1 AND c.status <> 'closed'",
    team: "c.team_id = ANY($2::uuid[]) AND c.status <> 'closed'",
    // Due within three days, or 80 % of the time used (a 15-day clock is "due soon" earlier than a 3-day one).
    due_soon: `${running} AND c.due_at > now() AND (c.due_at <= now() + interval '3 days' OR now() >= c.received_at + (c.due_at - c.received_at) * 0.8)`,
    // Past the deadline and unanswered, or answered late.
    breached: `((${running} AND c.due_at <= now()) OR c.final_response_at > c.due_at)`,
    closed: "c.status = 'closed'",
  }[filter.view];
  const { rows } = await db.query<CaseListEntry>(
    `SELECT c.*, a.name AS owner_name, ct.name AS contact_name FROM cases c
     LEFT JOIN agents a ON a.id = c.owner_id JOIN contacts ct ON ct.id = c.contact_id
     WHERE ${view}
       -- casePolicy.canReadCase, as SQL: admins all; agents their own, their teams' and unteamed cases.
       AND ($3 OR c.owner_id = $1 OR c.team_id IS NULL OR c.team_id = ANY($2::uuid[]))
       AND ($4::text IS NULL OR c.status = $4)
       AND ($5::uuid IS NULL OR c.contact_id = $5)
       AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM case_conversations cc WHERE cc.case_id = c.id AND cc.conversation_id = $6))
     ORDER BY (c.final_response_at IS NULL AND c.status <> 'closed') DESC, c.due_at ASC, c.created_at DESC
     LIMIT $7`,
    [agent.id, agent.teamIds, agent.admin, filter.status ?? null, filter.contactId ?? null, filter.conversationId ?? null, filter.limit],
  );
  return rows;
}

/** A case's timeline, oldest first, each event with its agent's name. */
export async function listCaseEvents(db: Queryable, caseId: string): Promise<Array<CaseEventRow & { actor_name: string | null }>> {
  const { rows } = await db.query<CaseEventRow & { actor_name: string | null }>(
    `SELECT e.*, a.name AS actor_name FROM case_events e LEFT JOIN agents a ON e.actor_type = 'agent' AND a.id = e.actor_id
     WHERE e.case_id = $1 ORDER BY e.id`,
    [caseId],
  );
  return rows;
}

export interface LinkedConversation {
  id: string;
  display_id: number;
  status: string;
  inbox_name: string;
  channel: string;
  linked_at: Date;
  created_at: Date;
}

/** The conversations linked to a case, in the order they were linked. */
export async function listLinkedConversations(db: Queryable, caseId: string): Promise<LinkedConversation[]> {
  const { rows } = await db.query<LinkedConversation>(
    `SELECT cv.id, cv.display_id, cv.status, i.name AS inbox_name, i.channel, cc.linked_at, cv.created_at
     FROM case_conversations cc JOIN conversations cv ON cv.id = cc.conversation_id JOIN inboxes i ON i.id = cv.inbox_id
     WHERE cc.case_id = $1 ORDER BY cc.linked_at`,
    [caseId],
  );
  return rows;
}

/** The names a case shows: its owner's, and its customer's name and e-mail. */
export async function findCaseNames(
  db: Queryable,
  c: Pick<CaseRow, "contact_id" | "owner_id">,
): Promise<{ owner_name: string | null; contact_name: string | null; contact_email: string | null } | undefined> {
  const { rows } = await db.query<{ owner_name: string | null; contact_name: string | null; contact_email: string | null }>(
    `SELECT a.name AS owner_name, ct.name AS contact_name, ct.email AS contact_email
     FROM contacts ct LEFT JOIN agents a ON a.id = $2 WHERE ct.id = $1`,
    [c.contact_id, c.owner_id],
  );
  return rows[0];
}

/** Complaint categories and products in the order they are offered; retired ones too when asked. */
export async function listTaxonomy(db: Queryable, opts: { includeRetired: boolean }): Promise<TaxonomyRow[]> {
  const { rows } = await db.query<TaxonomyRow>(`SELECT * FROM case_taxonomy WHERE $1 OR active ORDER BY kind, position, name_en`, [
    opts.includeRetired,
  ]);
  return rows;
}
