import type { AppContext } from "../context.ts";
import type { AgentRow } from "../models/agents.ts";
import { AppError } from "../errors.ts";
import { isLockedOut, recordFailedAttempt, reserveSignInAttempt, clearFailedAttempts } from "../auth/signInAttempts.ts";
import { verifyTotp } from "./totp.ts";
import { openTotpSecret } from "./twoFactorSecret.ts";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recoveryCodes.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { acceptSecurityKeyAssertion } from "../auth/securityKeyAssertion.ts";

/**
 * A code from the agent's authenticator app, one of their recovery codes, or a security
 * key's answer to a sign-in's WebAuthn challenge (server/auth/securityKeyAssertion.ts).
 */
export type SecondFactor = { code: string } | { recoveryCode: string } | { securityKey: AuthenticationResponseJSON };
export type SecondFactorMethod = "totp" | "recovery_code" | "security_key";

export const wrongCode = () =>
  new AppError("unauthenticated", "Wrong or already used code, or the account is locked for a while after too many attempts", {
    reason: "wrong_code",
  });

/** The same refusal for a signed-in agent confirming an action: their session is fine, the code field is not. */
const wrongCurrentCode = () =>
  new AppError("validation_error", "Wrong or already used code, or the account is locked for a while after too many attempts", [
    { path: "code", message: "Wrong or already used code" },
  ]);

/**
 * Checks an agent's second factor as a sign-in attempt: counted before it is
 * checked and refused while the account is locked, like a password (so five wrong
 * codes lock the account as five wrong passwords do). A TOTP code is good once: the
 * step it belongs to is recorded by the same statement that accepts it, and that
 * step and older ones are refused afterwards. A recovery code is used up by the
 * statement that accepts it. A security key answers only the challenge of the sign-in
 * attempt it was asked for (`signInChallenge`). Failures are audited; success resets the count.
 */
export async function checkSecondFactor(
  ctx: AppContext,
  agentId: string,
  factor: SecondFactor,
  props: { ip?: string; signedIn?: boolean; signInChallenge?: string } = {},
): Promise<{ agent: AgentRow; method: SecondFactorMethod }> {
  const refusal = props.signedIn ? wrongCurrentCode : wrongCode;
  const reserved = await reserveSignInAttempt(ctx.db, { agentId });
  if (!reserved) throw refusal();
  const actor = { type: "agent" as const, id: reserved.id, role: reserved.role, teamIds: [] };
  if (isLockedOut(reserved)) {
    await writeAudit(ctx.db, { actor, action: reserved.was_locked ? "auth.login_locked" : "auth.locked_out", ip: props.ip });
    throw refusal();
  }
  const method: SecondFactorMethod = "code" in factor ? "totp" : "recoveryCode" in factor ? "recovery_code" : "security_key";
  const accepted =
    "securityKey" in factor
      ? props.signInChallenge !== undefined &&
        (await acceptSecurityKeyAssertion(ctx, reserved, factor.securityKey, { signInChallenge: props.signInChallenge, ip: props.ip }))
      : reserved.totp_secret !== null && (await accept(ctx, reserved, factor));
  if (!accepted) {
    await recordFailedAttempt(ctx.db, reserved, { actor, action: "auth.two_factor_failed", ip: props.ip, data: { method } });
    throw refusal();
  }
  await clearFailedAttempts(ctx.db, reserved.id);
  return { agent: reserved, method };
}

async function accept(ctx: AppContext, agent: AgentRow, factor: { code: string } | { recoveryCode: string }): Promise<boolean> {
  if ("code" in factor) {
    const lastStep = agent.totp_last_step === null ? null : Number(agent.totp_last_step);
    const step = verifyTotp(openTotpSecret(ctx.secrets, agent.totp_secret!), factor.code, { afterStep: lastStep });
    if (step === undefined) return false;
    // Conditional, so two requests racing with the same code cannot both pass.
    const r = await ctx.db.query(
      "UPDATE agents SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
      [agent.id, step],
    );
    return r.rowCount === 1;
  }
  if (!looksLikeRecoveryCode(factor.recoveryCode)) return false;
  const r = await ctx.db.query(
    "UPDATE agent_recovery_codes SET used_at = now() WHERE agent_id = $1 AND code_hash = $2 AND used_at IS NULL",
    [agent.id, hashRecoveryCode(factor.recoveryCode)],
  );
  return r.rowCount === 1;
}
