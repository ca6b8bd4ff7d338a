import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import type { Transaction } from "../../db/Database.ts";
import type { ContactRow } from "../../models/contacts.ts";
import { AppError, notFound } from "../../errors.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/** Contact fields a merge fills in on the survivor when it has none (and an undo clears again). */
const FILLED_FIELDS = ["name", "email", "phone"] as const;
type FilledField = (typeof FILLED_FIELDS)[number];

/** What one merge moved, kept on contact_merges.moved: an undo moves back exactly these. */
export interface MovedRecords {
  conversations: string[];
  cases: string[];
  /** contact_inboxes rows: how the customer is known on each inbox (an e-mail address, an openid...). */
  channelIdentities: Array<{ inboxId: string; sourceId: string }>;
  /** Fields copied onto the survivor because it had none. */
  filled: Partial<Record<FilledField, string>>;
  /** The merged contact's vulnerability flag moved too (the survivor had none). */
  vulnerability: boolean;
}

/** Why BankDesk merged two contacts by itself (contact_merges.automatic; migration 051). */
export interface AutomaticMerge {
  reason: "verified_email";
  /** How each side proved the address (contacts/verifiedEmails.ts). */
  methods: string[];
}

export interface MergeContactsProps {
  /** An agent by hand, or the system on a verified identity (with `automatic`). */
  actor: Extract<Actor, { type: "agent" }> | Extract<Actor, { type: "system" }>;
  automatic?: AutomaticMerge;
  /** The contact that goes away into the survivor. */
  mergedId: string;
  survivorId: string;
  ip?: string;
}

async function lockContacts(tx: Transaction, ids: string[]): Promise<Map<string, ContactRow>> {
  // In id order, so two merges of the same pair cannot deadlock.
  const { rows } = await tx.query<ContactRow>("SELECT * FROM contacts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Merges one contact into another: its conversations, complaint cases and channel
 * identities move to the survivor, which then shows one timeline; the merged contact
 * stays, pointing at the survivor, so the merge can be undone (undoContactMerge).
 *
 * Refused: merging a contact into itself or into one already merged away, an already
 * merged contact, two different verified bank customers, and a verified customer into
 * an unverified contact (the verified one must survive: it is who the bank knows).
 * Widget sessions do not move: a browser's session belongs to the identity it was
 * opened as, and an anonymous visitor must not start talking as a verified customer.
 */
export async function mergeContacts(ctx: AppContext, props: MergeContactsProps): Promise<{ mergeId: string; moved: MovedRecords }> {
  if (props.mergedId === props.survivorId) throw new AppError("validation_error", "A contact cannot be merged into itself");
  return ctx.db.transaction(async (tx) => {
    const locked = await lockContacts(tx, [props.mergedId, props.survivorId]);
    const merged = locked.get(props.mergedId);
    const survivor = locked.get(props.survivorId);
    if (!merged || !survivor) throw notFound("Contact");
    if (merged.merged_into) throw new AppError("conflict", "This contact was already merged into another one");
    if (survivor.merged_into) throw new AppError("conflict", "That contact was merged into another one: merge into that one instead");
    if (merged.external_id && survivor.external_id)
      throw new AppError("conflict", "Both contacts are verified as different bank customers: they cannot be one customer");
    if (merged.external_id)
      throw new AppError("conflict", "This contact is a verified bank customer: merge the other contact into this one instead");

    const conversations = await tx.query<{ id: string }>(
      "UPDATE conversations SET contact_id = $2, updated_at = now() WHERE contact_id = $1 RETURNING id",
      [merged.id, survivor.id],
    );
    const cases = await tx.query<{ id: string }>(
      "UPDATE cases SET contact_id = $2, updated_at = now() WHERE contact_id = $1 RETURNING id",
      [merged.id, survivor.id],
    );
    const identities = await tx.query<{ inbox_id: string; source_id: string }>(
      "UPDATE contact_inboxes SET contact_id = $2 WHERE contact_id = $1 RETURNING inbox_id, source_id",
      [merged.id, survivor.id],
    );
    const filled: MovedRecords["filled"] = {};
    for (const f of FILLED_FIELDS) if (!survivor[f] && merged[f]) filled[f] = merged[f]!;
    if (Object.keys(filled).length)
      await tx.query(
        `UPDATE contacts SET name = COALESCE(name, $2), email = COALESCE(email, $3), phone = COALESCE(phone, $4), updated_at = now() WHERE id = $1`,
        [survivor.id, filled.name ?? null, filled.email ?? null, filled.phone ?? null],
      );
    const flag = await tx.query(
      `UPDATE contact_vulnerabilities SET contact_id = $2 WHERE contact_id = $1
         AND NOT EXISTS (SELECT 1 FROM contact_vulnerabilities WHERE contact_id = $2) RETURNING contact_id`,
      [merged.id, survivor.id],
    );
    await tx.query("UPDATE contacts SET merged_into = $2, updated_at = now() WHERE id = $1", [merged.id, survivor.id]);

    const moved: MovedRecords = {
      conversations: conversations.rows.map((r) => r.id),
      cases: cases.rows.map((r) => r.id),
      channelIdentities: identities.rows.map((r) => ({ inboxId: r.inbox_id, sourceId: r.source_id })),
      filled,
      vulnerability: flag.rows.length > 0,
    };
    const { rows } = await tx.query<{ id: string }>(
      "INSERT INTO contact_merges (survivor_id, merged_id, moved, merged_by, automatic) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [
        survivor.id,
        merged.id,
        JSON.stringify(moved),
        props.actor.type === "agent" ? props.actor.id : null,
        props.automatic ? JSON.stringify(props.automatic) : null,
      ],
    );
    const mergeId = rows[0]!.id;
    await writeAudit(tx, {
      actor: props.actor,
      action: "contact.merged",
      targetType: "contact",
      targetId: survivor.id,
      // Ids and counts only: the copied fields are the customer's details.
      data: {
        mergeId,
        mergedId: merged.id,
        conversations: moved.conversations,
        cases: moved.cases,
        channelIdentities: moved.channelIdentities.length,
        filledFields: Object.keys(filled),
        vulnerability: moved.vulnerability,
        ...(props.automatic ? { automatic: props.automatic } : {}),
      },
      ip: props.ip,
    });
    return { mergeId, moved };
  });
}

export interface ContactMergeRow {
  id: string;
  survivor_id: string;
  merged_id: string;
  moved: MovedRecords;
  merged_by: string | null;
  merged_at: Date;
  /** Set when BankDesk merged on a verified identity (merged_by is then null). */
  automatic?: AutomaticMerge | null;
  undone_by: string | null;
  undone_at: Date | null;
}

/**
 * Undoes a merge: moves back exactly what it moved (what has since been added to the
 * survivor stays there) and clears the fields it filled in, where they still hold the
 * copied value. Refused once the survivor has itself been merged away (undo that first)
 * or the merge was undone already.
 */
export async function undoContactMerge(
  ctx: AppContext,
  props: { actor: Extract<Actor, { type: "agent" }>; mergeId: string; ip?: string },
): Promise<{ merge: ContactMergeRow }> {
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<ContactMergeRow>("SELECT * FROM contact_merges WHERE id = $1 FOR UPDATE", [props.mergeId]);
    const merge = rows[0];
    if (!merge) throw notFound("Merge");
    if (merge.undone_at) throw new AppError("conflict", "This merge was undone already");
    const locked = await lockContacts(tx, [merge.merged_id, merge.survivor_id]);
    const survivor = locked.get(merge.survivor_id);
    if (survivor?.merged_into)
      throw new AppError("conflict", "The surviving contact was merged into another one since: undo that merge first");
    const m = merge.moved;
    // Only rows still with the survivor move back: one deleted since (retention) is gone.
    await tx.query("UPDATE conversations SET contact_id = $1, updated_at = now() WHERE id = ANY($3::uuid[]) AND contact_id = $2", [
      merge.merged_id,
      merge.survivor_id,
      m.conversations,
    ]);
    await tx.query("UPDATE cases SET contact_id = $1, updated_at = now() WHERE id = ANY($3::uuid[]) AND contact_id = $2", [
      merge.merged_id,
      merge.survivor_id,
      m.cases,
    ]);
    for (const ci of m.channelIdentities)
      await tx.query("UPDATE contact_inboxes SET contact_id = $1 WHERE inbox_id = $3 AND source_id = $4 AND contact_id = $2", [
        merge.merged_id,
        merge.survivor_id,
        ci.inboxId,
        ci.sourceId,
      ]);
    for (const [field, value] of Object.entries(m.filled) as Array<[FilledField, string]>)
      await tx.query(`UPDATE contacts SET ${field} = NULL WHERE id = $1 AND ${field} = $2`, [merge.survivor_id, value]);
    if (m.vulnerability)
      await tx.query(
        `UPDATE contact_vulnerabilities SET contact_id = $1 WHERE contact_id = $2
           AND NOT EXISTS (SELECT 1 FROM contact_vulnerabilities WHERE contact_id = $1)`,
        [merge.merged_id, merge.survivor_id],
      );
    await tx.query("UPDATE contacts SET merged_into = NULL, updated_at = now() WHERE id = $1", [merge.merged_id]);
    const { rows: undone } = await tx.query<ContactMergeRow>(
      "UPDATE contact_merges SET undone_at = now(), undone_by = $2 WHERE id = $1 RETURNING *",
      [merge.id, props.actor.id],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "contact.merge_undone",
      targetType: "contact",
      targetId: merge.survivor_id,
      data: { mergeId: merge.id, mergedId: merge.merged_id, conversations: m.conversations, cases: m.cases },
      ip: props.ip,
    });
    return { merge: undone[0]! };
  });
}
