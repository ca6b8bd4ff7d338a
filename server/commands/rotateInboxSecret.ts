import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { newIdentitySecret } from "./createInbox.ts";
import { sealIdentitySecret } from "../auth/identity.ts";

/**
 * Replaces an inbox's identity secret (after a leak, or on a schedule). Returns the
 * new secret for the admin to copy once: it is never shown again and never audited.
 * From now on identity hashes signed with the old secret are refused, so the bank's
 * servers must switch to the new one.
 */
export async function rotateInboxSecret(
  ctx: AppContext,
  props: { actor: Actor; inboxId: string; ip?: string },
): Promise<{ inbox: InboxRow; identitySecret: string }> {
  authorize(canAdminister(props.actor));
  const secret = newIdentitySecret();
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<InboxRow>(
      "UPDATE inboxes SET identity_secret = $2, identity_secret_rotated_at = now(), updated_at = now() WHERE id = $1 RETURNING *",
      [props.inboxId, sealIdentitySecret(ctx.secrets, secret)],
    );
    if (!rows[0]) throw notFound("Inbox");
    await writeAudit(tx, {
      actor: props.actor,
      action: "inbox.identity_secret_rotated",
      targetType: "inbox",
      targetId: rows[0].id,
      data: { slug: rows[0].slug },
      ip: props.ip,
    });
    return { inbox: rows[0], identitySecret: secret };
  });
}
