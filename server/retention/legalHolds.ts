import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { AppError } from "../errors.ts";
import type { Queryable } from "../db/Database.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import type { LegalHold } from "../../shared/wire/index.ts";

export interface LegalHoldRow {
  id: string;
  contact_id: string | null;
  conversation_id: string | null;
  reason: string;
  created_by: string | null;
  created_at: Date;
  released_at: Date | null;
  released_by: string | null;
}

export function presentLegalHold(r: LegalHoldRow): LegalHold {
  return {
    id: r.id,
    contactId: r.contact_id,
    conversationId: r.conversation_id,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    releasedAt: r.released_at ? new Date(r.released_at).toISOString() : null,
    releasedBy: r.released_by,
  };
}

/** An admin places a legal hold on one customer or one conversation: retention and erasure stop for it. Audited. */
export async function placeLegalHold(
  ctx: AppContext,
  props: { actor: Actor; contactId?: string; conversationId?: string; reason: string; ip?: string },
): Promise<LegalHoldRow> {
  authorize(canAdminister(props.actor), "Only admins can place legal holds");
  if (Boolean(props.contactId) === Boolean(props.conversationId)) {
    throw new AppError("validation_error", "A legal hold covers either a customer (contactId) or a conversation (conversationId)");
  }
  return ctx.db.transaction(async (tx) => {
    const target = props.contactId
      ? await tx.query("SELECT 1 FROM contacts WHERE id = $1", [props.contactId])
      : await tx.query("SELECT 1 FROM conversations WHERE id = $1", [props.conversationId]);
    if (target.rowCount === 0) throw new AppError("not_found", props.contactId ? "Contact not found" : "Conversation not found");
    const { rows } = await tx.query<LegalHoldRow>(
      `INSERT INTO legal_holds (contact_id, conversation_id, reason, created_by) VALUES ($1, $2, $3, $4) RETURNING *`,
      [props.contactId ?? null, props.conversationId ?? null, props.reason, props.actor.type === "agent" ? props.actor.id : null],
    );
    const hold = rows[0]!;
    await writeAudit(tx, {
      actor: props.actor,
      action: "legal_hold.placed",
      targetType: props.contactId ? "contact" : "conversation",
      targetId: (props.contactId ?? props.conversationId)!,
      data: { holdId: hold.id, reason: props.reason },
      ip: props.ip,
    });
    return hold;
  });
}

/** An admin releases a hold (with the reason for releasing it); the row stays as the record. Audited. */
export async function releaseLegalHold(
  ctx: AppContext,
  props: { actor: Actor; id: string; reason: string; ip?: string },
): Promise<LegalHoldRow> {
  authorize(canAdminister(props.actor), "Only admins can release legal holds");
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<LegalHoldRow>(
      `UPDATE legal_holds SET released_at = now(), released_by = $2 WHERE id = $1 AND released_at IS NULL RETURNING *`,
      [props.id, props.actor.type === "agent" ? props.actor.id : null],
    );
    const hold = rows[0];
    if (!hold) throw new AppError("not_found", "No active legal hold with that id");
    await writeAudit(tx, {
      actor: props.actor,
      action: "legal_hold.released",
      targetType: hold.contact_id ? "contact" : "conversation",
      targetId: (hold.contact_id ?? hold.conversation_id)!,
      data: { holdId: hold.id, reason: props.reason },
      ip: props.ip,
    });
    return hold;
  });
}

/** Active holds on a customer or on any of their conversations. */
export async function activeHoldsOnContact(db: Queryable, contactId: string): Promise<LegalHoldRow[]> {
  const { rows } = await db.query<LegalHoldRow>(
    `SELECT * FROM legal_holds WHERE released_at IS NULL
        AND (contact_id = $1 OR conversation_id IN (SELECT id FROM conversations WHERE contact_id = $1))
      ORDER BY created_at`,
    [contactId],
  );
  return rows;
}
