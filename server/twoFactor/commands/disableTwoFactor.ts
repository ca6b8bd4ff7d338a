import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { checkSecondFactor, type SecondFactor } from "../checkSecondFactor.ts";
import { readOrganisationSettings } from "../../admin/organisationSettings.ts";
import { clearTwoFactor } from "../clearTwoFactor.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { hasSecurityKey } from "../../auth/securityKeys.ts";

/**
 * An agent turns their own authenticator app off, with a current code (or a recovery
 * code); not while the organisation requires two-factor sign-in and it is their only
 * second factor. Their security keys stay. Audited.
 */
export async function disableTwoFactor(ctx: AppContext, props: { actor: Actor; factor: SecondFactor; ip?: string }): Promise<void> {
  if (props.actor.type !== "agent") throw forbidden("Two-factor sign-in is for console users");
  const actor = props.actor;
  // A security key still makes it two-factor: the app can go even when it is required.
  if ((await readOrganisationSettings(ctx.db)).requireStaffTwoFactor && !(await hasSecurityKey(ctx.db, actor.id))) {
    throw new AppError("forbidden", "Your organisation requires two-factor sign-in, so it cannot be turned off", {
      reason: "two_factor_required",
    });
  }
  await checkSecondFactor(ctx, actor.id, props.factor, { ip: props.ip, signedIn: true });
  await ctx.db.transaction(async (tx) => {
    await clearTwoFactor(tx, actor.id);
    await writeAudit(tx, { actor, action: "auth.two_factor_disabled", targetType: "agent", targetId: actor.id, ip: props.ip });
  });
}
