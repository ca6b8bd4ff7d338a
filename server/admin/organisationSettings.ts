import type { Queryable } from "../db/Database.ts";

/** Settings of the whole organisation (organisation_settings, one row). */
export interface OrganisationSettings {
  /** Every console user must sign in with a second factor (and set one up before anything else). */
  requireStaffTwoFactor: boolean;
}

export async function readOrganisationSettings(db: Queryable): Promise<OrganisationSettings> {
  const { rows } = await db.query<{ require_staff_two_factor: boolean }>("SELECT require_staff_two_factor FROM organisation_settings");
  return { requireStaffTwoFactor: rows[0]?.require_staff_two_factor ?? false };
}
