import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { forbidden, notFound } from "../../errors.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import type { SecurityKeyRow } from "../../auth/securityKeys.ts";

/**
 * An agent renames one of their own security keys ("YubiKey" → "Spare key in the safe"),
 * to tell them apart when one is lost. Another agent's key is not found. Audited as
 * `auth.security_key_renamed` with the old and new names.
 */
export async function renameSecurityKey(
  ctx: AppContext,
  props: { actor: Actor; keyId: string; name: string; ip?: string },
): Promise<SecurityKeyRow> {
  if (props.actor.type !== "agent") throw forbidden("Security keys are for console users");
  const actor = props.actor;
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<SecurityKeyRow & { old_name: string }>(
      `UPDATE agent_security_keys k SET name = $3 FROM agent_security_keys old
       WHERE k.id = $1 AND k.agent_id = $2 AND old.id = k.id
       RETURNING k.*, old.name AS old_name`,
      [props.keyId, actor.id, props.name],
    );
    const key = rows[0];
    if (!key) throw notFound("Security key");
    await writeAudit(tx, {
      actor,
      action: "auth.security_key_renamed",
      targetType: "security_key",
      targetId: key.id,
      data: { from: key.old_name, to: key.name },
      ip: props.ip,
    });
    const { old_name: _, ...renamed } = key;
    return renamed;
  });
}
