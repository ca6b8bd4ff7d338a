import type { Actor, AppContext } from "../context.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import type { OrganisationSettings } from "../admin/organisationSettings.ts";
import { writeAudit } from "./writeAudit.ts";
import { AppError } from "../errors.ts";

/**
 * Changes the organisation's settings (audited with what changed). Requiring
 * two-factor sign-in takes effect at once: console users without it keep their
 * session but may only set it up (every other request answers 403
 * two_factor_enrolment_required), and their open sockets are closed now.
 */
export async function updateOrganisationSettings(
  ctx: AppContext,
  props: { actor: Actor; changes: Partial<OrganisationSettings>; ip?: string },
): Promise<OrganisationSettings> {
  authorize(canAdminister(props.actor));
  if (props.changes.requireStaffTwoFactor && props.actor.type === "agent") {
    // As GitHub asks of an organisation's owner: whoever requires it of everyone has it first.
    const { rows } = await ctx.db.query<{ enabled: boolean }>("SELECT totp_enabled_at IS NOT NULL AS enabled FROM agents WHERE id = $1", [
      props.actor.id,
    ]);
    if (!rows[0]?.enabled)
      throw new AppError("validation_error", "Set up two-factor sign-in for yourself before requiring it of all staff");
  }
  const { after, unenrolled } = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ require_staff_two_factor: boolean }>(
      "SELECT require_staff_two_factor FROM organisation_settings FOR UPDATE",
    );
    const before: OrganisationSettings = { requireStaffTwoFactor: rows[0]?.require_staff_two_factor ?? false };
    const after: OrganisationSettings = { ...before, ...props.changes };
    const changes = auditDiff({ ...before }, { ...props.changes });
    if (Object.keys(changes).length === 0) return { after, unenrolled: [] };
    await tx.query(
      `INSERT INTO organisation_settings (id, require_staff_two_factor, updated_at) VALUES (true, $1, now())
       ON CONFLICT (id) DO UPDATE SET require_staff_two_factor = $1, updated_at = now()`,
      [after.requireStaffTwoFactor],
    );
    await writeAudit(tx, { actor: props.actor, action: "organisation.updated", data: { changes }, ip: props.ip });
    const { rows: affected } = after.requireStaffTwoFactor
      ? await tx.query<{ id: string }>("SELECT id FROM agents WHERE totp_enabled_at IS NULL AND disabled_at IS NULL")
      : { rows: [] };
    return { after, unenrolled: affected.map((r) => r.id) };
  });
  for (const agentId of unenrolled) ctx.bus.emit("agent.access_changed", { agentId, reason: "two_factor_required" });
  return after;
}
