import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden, notFound } from "../../errors.ts";
import { readOrganisationSettings } from "../../admin/organisationSettings.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/**
 * An agent removes one of their security keys (lost, replaced): it signs nobody in from
 * now on. Not their last second factor while the organisation requires two-factor
 * sign-in (as the authenticator app cannot be turned off then). Audited as
 * `auth.security_key_removed`.
 */
export async function removeSecurityKey(ctx: AppContext, props: { actor: Actor; keyId: string; ip?: string }): Promise<void> {
  if (props.actor.type !== "agent") throw forbidden("Security keys are for console users");
  const actor = props.actor;
  const required = (await readOrganisationSettings(ctx.db)).requireStaffTwoFactor;
  await ctx.db.transaction(async (tx) => {
    const { rows: agents } = await tx.query<{ totp: boolean }>(
      "SELECT totp_enabled_at IS NOT NULL AS totp FROM agents WHERE id = $1 FOR UPDATE",
      [actor.id],
    );
    const { rows } = await tx.query<{ id: string; name: string }>(
      "DELETE FROM agent_security_keys WHERE id = $1 AND agent_id = $2 RETURNING id, name",
      [props.keyId, actor.id],
    );
    const key = rows[0];
    if (!key) throw notFound("Security key");
    const { rows: left } = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM agent_security_keys WHERE agent_id = $1", [
      actor.id,
    ]);
    if (required && !agents[0]?.totp && left[0]!.n === 0) {
      throw new AppError("forbidden", "Your organisation requires two-factor sign-in: add another key or an authenticator app first", {
        reason: "two_factor_required",
      });
    }
    await writeAudit(tx, {
      actor,
      action: "auth.security_key_removed",
      targetType: "security_key",
      targetId: key.id,
      data: { name: key.name },
      ip: props.ip,
    });
  });
}
