import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { forbidden } from "../../errors.ts";
import { checkSecondFactor } from "../checkSecondFactor.ts";
import { replaceRecoveryCodes } from "../recoveryCodeStore.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/**
 * New recovery codes for the agent (the old ones stop working), given a current
 * code from their authenticator: a session left open on a shared computer is not
 * enough to take over the second factor. A wrong code counts towards the lock-out.
 */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  props: { actor: Actor; code: string; ip?: string },
): Promise<{ recoveryCodes: string[] }> {
  if (props.actor.type !== "agent") throw forbidden("Two-factor sign-in is for console users");
  const actor = props.actor;
  await checkSecondFactor(ctx, actor.id, { code: props.code }, { ip: props.ip, signedIn: true });
  return ctx.db.transaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    await writeAudit(tx, { actor, action: "auth.recovery_codes_regenerated", targetType: "agent", targetId: actor.id, ip: props.ip });
    return { recoveryCodes };
  });
}
