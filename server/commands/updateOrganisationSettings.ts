import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { HAS_SECURITY_KEY_SQL } from "../auth/securityKeys.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import {
  MAX_CASE_RETENTION_DAYS,
  MIN_CASE_RETENTION_DAYS,
  ORGANISATION_COLUMNS,
  presentOrganisationSettings,
  type OrganisationSettings,
  type OrganisationSettingsRow,
} from "../admin/organisationSettings.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { AppError } from "../errors.ts";

/**
 * Changes the organisation's settings (audited with what changed). Requiring
 * two-factor sign-in takes effect at once: console users without it keep their
 * session but may only set it up (every other request answers 403
 * two_factor_enrolment_required), and their open sockets are closed now. The case
 * retention period is checked here, the one gate for it (the route's schema only
 * shapes the request): whole days, at least MIN_CASE_RETENTION_DAYS, or null.
 */
export async function updateOrganisationSettings(
  ctx: AppContext,
  props: { actor: Actor; changes: Partial<OrganisationSettings>; ip?: string },
): Promise<OrganisationSettings> {
  authorize(canAdminister(props.actor));
  const days = props.changes.caseRetentionDays;
  if (days !== undefined && days !== null && (!Number.isInteger(days) || days < MIN_CASE_RETENTION_DAYS || days > MAX_CASE_RETENTION_DAYS))
    throw new AppError(
      "validation_error",
      `Keep complaint cases for ${MIN_CASE_RETENTION_DAYS} to ${MAX_CASE_RETENTION_DAYS} days after they close, or for ever (null)`,
      [{ path: "caseRetentionDays", message: `Whole days from ${MIN_CASE_RETENTION_DAYS} to ${MAX_CASE_RETENTION_DAYS}, or null` }],
    );
  if (props.changes.requireStaffTwoFactor && props.actor.type === "agent") {
    // As GitHub asks of an organisation's owner: whoever requires it of everyone has it first.
    const { rows } = await ctx.db.query<{ enabled: boolean }>(
      `SELECT a.totp_enabled_at IS NOT NULL OR ${HAS_SECURITY_KEY_SQL} AS enabled FROM agents a WHERE a.id = $1`,
      [props.actor.id],
    );
    if (!rows[0]?.enabled)
      throw new AppError("validation_error", "Set up two-factor sign-in for yourself before requiring it of all staff");
  }
  const { after, unenrolled } = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<OrganisationSettingsRow>(`SELECT ${ORGANISATION_COLUMNS} FROM organisation_settings FOR UPDATE`);
    const before = presentOrganisationSettings(rows[0]);
    const after: OrganisationSettings = { ...before, ...props.changes };
    const changes = auditDiff({ ...before }, { ...props.changes });
    if (Object.keys(changes).length === 0) return { after, unenrolled: [] };
    await tx.query(
      `INSERT INTO organisation_settings (id, require_staff_two_factor, case_retention_days, updated_at) VALUES (true, $1, $2, now())
       ON CONFLICT (id) DO UPDATE SET require_staff_two_factor = $1, case_retention_days = $2, updated_at = now()`,
      [after.requireStaffTwoFactor, after.caseRetentionDays],
    );
    await writeAudit(tx, { actor: props.actor, action: "organisation.updated", data: { changes }, ip: props.ip });
    // Only a change that turns the requirement on limits anyone.
    const { rows: affected } =
      changes.requireStaffTwoFactor && after.requireStaffTwoFactor
        ? await tx.query<{ id: string }>(
            `SELECT a.id FROM agents a WHERE a.totp_enabled_at IS NULL AND NOT ${HAS_SECURITY_KEY_SQL} AND a.disabled_at IS NULL`,
          )
        : { rows: [] };
    return { after, unenrolled: affected.map((r) => r.id) };
  });
  for (const agentId of unenrolled) ctx.bus.emit("agent.access_changed", { agentId, reason: "two_factor_required" });
  return after;
}
