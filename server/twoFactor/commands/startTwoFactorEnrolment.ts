import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { newTotpSecret, otpauthUri } from "../totp.ts";
import { sealTotpSecret, TOTP_PENDING_SECRET } from "../twoFactorSecret.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/**
 * An agent starts setting up two-factor sign-in: a new 160-bit secret, kept sealed
 * as pending until a code from the authenticator confirms it (so a half-done
 * set-up never locks anyone out). Starting again replaces the pending secret.
 * The secret is returned for the agent's app only: it is never logged or audited.
 */
export async function startTwoFactorEnrolment(
  ctx: AppContext,
  props: { actor: Actor; ip?: string },
): Promise<{ secret: string; otpauthUri: string }> {
  if (props.actor.type !== "agent") throw forbidden("Two-factor sign-in is for console users");
  const secret = newTotpSecret();
  const email = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ email: string }>(
      "UPDATE agents SET totp_pending_secret = $2 WHERE id = $1 AND totp_enabled_at IS NULL RETURNING email",
      [props.actor.type === "agent" ? props.actor.id : "", sealTotpSecret(ctx.secrets, secret, TOTP_PENDING_SECRET)],
    );
    if (!rows[0]) throw new AppError("conflict", "Two-factor sign-in is already on: turn it off first to set up another authenticator");
    await writeAudit(tx, { actor: props.actor, action: "auth.two_factor_enrolment_started", ip: props.ip });
    return rows[0].email;
  });
  return { secret, otpauthUri: otpauthUri(email, secret) };
}
