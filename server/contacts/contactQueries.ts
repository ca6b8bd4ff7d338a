import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { CaseRow } from "../cases/types.ts";
import type { ContactMerge, Vulnerability } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import { canReadCase } from "../cases/casePolicy.ts";
import { presentCase } from "../cases/presentCase.ts";
import type { ContactMergeRow } from "./commands/mergeContacts.ts";
import { findVulnerability, type VulnerabilityRow } from "./vulnerability.ts";
import { customerSegments } from "../segments/segments.ts";

export function presentVulnerability(v: VulnerabilityRow): Presented<Vulnerability> {
  return {
    kind: v.kind,
    note: v.note,
    consentConfirmed: true,
    recordedBy: v.recorded_by ? { id: v.recorded_by, name: v.recorded_by_name ?? "" } : null,
    recordedAt: v.recorded_at,
  };
}

type MergeListRow = ContactMergeRow & { merged_name: string | null; merged_by_name: string | null };

function presentMerge(m: MergeListRow): Presented<ContactMerge> {
  return {
    id: m.id,
    survivorId: m.survivor_id,
    mergedId: m.merged_id,
    mergedName: m.merged_name,
    moved: {
      conversations: m.moved.conversations.length,
      cases: m.moved.cases.length,
      channelIdentities: m.moved.channelIdentities.length,
    },
    mergedBy: m.merged_by ? { id: m.merged_by, name: m.merged_by_name ?? "" } : null,
    automatic: m.automatic ? { reason: m.automatic.reason, methods: m.automatic.methods } : null,
    mergedAt: m.merged_at,
    undoneAt: m.undone_at,
  };
}

/**
 * What the customer profile adds to a contact: the vulnerability flag, the merges into
 * it (newest first, the undone ones too: they are its history) and its complaint cases
 * the actor may see (open ones first), so the timeline holds every conversation and case.
 */
export async function loadContactProfile(db: Queryable, actor: Actor, contactId: string) {
  const [vulnerability, merges, cases, segments] = await Promise.all([
    findVulnerability(db, contactId),
    db.query<MergeListRow>(
      `SELECT m.*, c.name AS merged_name, a.name AS merged_by_name
       FROM contact_merges m JOIN contacts c ON c.id = m.merged_id LEFT JOIN agents a ON a.id = m.merged_by
       WHERE m.survivor_id = $1 ORDER BY m.merged_at DESC LIMIT 50`,
      [contactId],
    ),
    // Open cases first: a customer with a long history must not have the complaint
    // still running cut off by the limit (the panel marks the customer by it).
    db.query<CaseRow>("SELECT * FROM cases WHERE contact_id = $1 ORDER BY (status <> 'closed') DESC, created_at DESC LIMIT 50", [
      contactId,
    ]),
    customerSegments(db, contactId),
  ]);
  const readable = cases.rows.filter((c) => canReadCase(actor, c));
  return {
    vulnerability: vulnerability ? presentVulnerability(vulnerability) : null,
    merges: merges.rows.map(presentMerge),
    segments,
    cases: readable.map((c) => presentCase(c)),
    // Open complaints of another team's, which this agent may not read: only counted,
    // so the panel still warns that the customer has a complaint running (never which).
    otherOpenCases: cases.rows.filter((c) => c.status !== "closed" && !canReadCase(actor, c)).length,
  };
}

export async function findMerge(db: Queryable, id: string): Promise<ContactMergeRow | undefined> {
  const { rows } = await db.query<ContactMergeRow>("SELECT * FROM contact_merges WHERE id = $1", [id]);
  return rows[0];
}

/** `%` and `_` in what the agent typed are themselves, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Contacts matching a name, e-mail, phone or exact customer id, that have not been
 * merged away; within `scope` (an agent's: contacts with a conversation they may read).
 */
export async function searchContacts(
  db: Queryable,
  q: string,
  scope: { agentId: string; teamIds: string[] } | undefined,
  limit: number,
): Promise<ContactRow[]> {
  const { rows } = await db.query<ContactRow>(
    `SELECT c.* FROM contacts c
     WHERE c.merged_into IS NULL AND c.anonymised_at IS NULL
       AND (c.name ILIKE $1 OR c.email ILIKE $1 OR c.phone ILIKE $1 OR c.external_id = $2)
       AND ($3::uuid IS NULL OR EXISTS (
         SELECT 1 FROM conversations v WHERE v.contact_id = c.id
           AND (v.team_id IS NULL OR v.assignee_id = $3 OR v.team_id = ANY($4::uuid[]))))
     ORDER BY c.updated_at DESC LIMIT $5`,
    [likePattern(q), q, scope?.agentId ?? null, scope?.teamIds ?? [], limit],
  );
  return rows;
}
