import type { Queryable } from "../db/Database.ts";
import type { OrganisationSettings } from "../../shared/wire/index.ts";

/** Settings of the whole organisation (organisation_settings, one row), as the wire type describes them. */
export type { OrganisationSettings };

/**
 * The shortest case retention period accepted. No regulator we know of asks for less
 * than a year (the FCA's DISP 1.9 asks for three, five for MiFID business; mainland
 * China commonly five), and a period in days or weeks is far more likely a slip of the
 * finger than a policy: what retention removes cannot be brought back.
 */
export const MIN_CASE_RETENTION_DAYS = 365;
export const MAX_CASE_RETENTION_DAYS = 36_500;

export interface OrganisationSettingsRow {
  require_staff_two_factor: boolean;
  case_retention_days: number | null;
}

export const ORGANISATION_COLUMNS = "require_staff_two_factor, case_retention_days";

export function presentOrganisationSettings(row: OrganisationSettingsRow | undefined): OrganisationSettings {
  return { requireStaffTwoFactor: row?.require_staff_two_factor ?? false, caseRetentionDays: row?.case_retention_days ?? null };
}

export async function readOrganisationSettings(db: Queryable): Promise<OrganisationSettings> {
  const { rows } = await db.query<OrganisationSettingsRow>(`SELECT ${ORGANISATION_COLUMNS} FROM organisation_settings`);
  return presentOrganisationSettings(rows[0]);
}
