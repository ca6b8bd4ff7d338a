import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { verifyTotp } from "../totp.ts";
import { openTotpSecret, sealTotpSecret, TOTP_PENDING_SECRET } from "../twoFactorSecret.ts";
import { replaceRecoveryCodes } from "../recoveryCodeStore.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/**
 * Turns two-factor sign-in on once the agent types a code their authenticator
 * made from the pending secret, and returns ten recovery codes, shown once. The
 * code's step counts as used, so it cannot sign in afterwards.
 */
export async function confirmTwoFactorEnrolment(
  ctx: AppContext,
  props: { actor: Actor; code: string; ip?: string },
): Promise<{ recoveryCodes: string[] }> {
  if (props.actor.type !== "agent") throw forbidden("Two-factor sign-in is for console users");
  const actor = props.actor;
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ totp_pending_secret: string | null; totp_enabled_at: Date | null }>(
      "SELECT totp_pending_secret, totp_enabled_at FROM agents WHERE id = $1 FOR UPDATE",
      [actor.id],
    );
    const row = rows[0];
    if (row?.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is already on");
    if (!row?.totp_pending_secret) throw new AppError("conflict", "Start setting up two-factor sign-in first");
    const secret = openTotpSecret(ctx.secrets, row.totp_pending_secret, TOTP_PENDING_SECRET);
    const step = verifyTotp(secret, props.code);
    if (step === undefined) {
      throw new AppError("validation_error", "That code is not right: check your authenticator's clock and type the code it shows now", [
        { path: "code", message: "Wrong code" },
      ]);
    }
    await tx.query(
      `UPDATE agents SET totp_secret = $2, totp_pending_secret = NULL, totp_enabled_at = now(), totp_last_step = $3, updated_at = now()
       WHERE id = $1`,
      [actor.id, sealTotpSecret(ctx.secrets, secret), step],
    );
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    await writeAudit(tx, { actor, action: "auth.two_factor_enabled", targetType: "agent", targetId: actor.id, ip: props.ip });
    return { recoveryCodes };
  });
}
