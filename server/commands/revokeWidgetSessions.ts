import type { ConversationRow } from "../models/conversations.ts";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { hashToken } from "../auth/identity.ts";
import { authorize } from "../policies/adminPolicy.ts";
import { canRevokeWidgetSessions } from "../policies/widgetSessionPolicy.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export type RevokeWidgetSessionsProps =
  /** The widget ends its own session (`BankDesk('shutdown')`, the customer signed out). */
  | { token: string; ip?: string }
  /** Staff end every widget session of a contact (a lost phone, a shared computer, fraud). */
  | { actor: Actor; contactId: string; ip?: string };

/**
 * Revokes widget session tokens. A revoked token is refused by the REST API and the
 * socket (`session_revoked`), and its open sockets are closed; the widget then starts
 * afresh, as a new guest unless the page identifies the customer again.
 */
export async function revokeWidgetSessions(ctx: AppContext, props: RevokeWidgetSessionsProps): Promise<{ revoked: number }> {
  let contactId: string;
  let hashes: string[];
  if ("token" in props) {
    const { rows } = await ctx.db.query<{ contact_id: string; token_hash: string }>(
      "UPDATE widget_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING contact_id, token_hash",
      [hashToken(props.token)],
    );
    if (!rows[0]) return { revoked: 0 };
    contactId = rows[0].contact_id;
    hashes = [rows[0].token_hash];
    await writeAudit(ctx.db, {
      actor: { type: "contact", id: contactId, verified: false },
      action: "widget.session_ended",
      targetType: "contact",
      targetId: contactId,
      ip: props.ip,
    });
  } else {
    const contact = await ctx.db.query<{ id: string }>("SELECT id FROM contacts WHERE id = $1", [props.contactId]);
    if (!contact.rows[0]) throw notFound("Contact");
    const conversations = await ctx.db.query<Pick<ConversationRow, "contact_id" | "team_id" | "assignee_id">>(
      "SELECT contact_id, team_id, assignee_id FROM conversations WHERE contact_id = $1",
      [props.contactId],
    );
    // A customer an agent cannot see does not exist for them.
    if (!canRevokeWidgetSessions(props.actor, conversations.rows)) {
      if (props.actor.type === "agent" && props.actor.role === "agent") throw notFound("Contact");
      authorize(false);
    }
    contactId = props.contactId;
    const { rows } = await ctx.db.query<{ token_hash: string }>(
      "UPDATE widget_sessions SET revoked_at = now() WHERE contact_id = $1 AND revoked_at IS NULL RETURNING token_hash",
      [contactId],
    );
    hashes = rows.map((r) => r.token_hash);
    await writeAudit(ctx.db, {
      actor: props.actor,
      action: "widget.sessions_revoked",
      targetType: "contact",
      targetId: contactId,
      ip: props.ip,
      data: { count: hashes.length },
    });
  }
  if (hashes.length) ctx.bus.emit("widget.sessions_revoked", { contactId, tokenHashes: hashes });
  return { revoked: hashes.length };
}
