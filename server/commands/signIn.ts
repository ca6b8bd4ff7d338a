import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { AppError } from "../errors.ts";
import { isLockedOut, recordFailedAttempt, releaseSignInAttempt, reserveSignInAttempt } from "../auth/signInAttempts.ts";
import { secondFactorMethods, type SecondFactorKind } from "../auth/secondFactorMethods.ts";
import { openAgentSession, type OpenedSession } from "../auth/openAgentSession.ts";
import { createSignInChallenge } from "../auth/signInChallenges.ts";
import { writeAudit } from "../audit/writeAudit.ts";

// Compared against when the e-mail is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;

/** A session, or for an agent with two-factor sign-in the challenge the second step answers. */
export type SignInResult =
  | ({ kind: "session" } & OpenedSession)
  | {
      kind: "two_factor";
      challenge: string;
      expiresAt: Date;
      methods: SecondFactorKind[];
    };

/**
 * Signs an agent in with e-mail and password. Each attempt is counted before the
 * password is checked (server/auth/signInAttempts.ts): after five failures in a
 * row the account is locked for 15 minutes. An unknown, deactivated or locked
 * account gets the same answer, after the same work (a password hash is always
 * checked), as a wrong password. Every attempt is audited.
 *
 * With two-factor sign-in (an authenticator app or a security key) a correct
 * password opens a 5-minute challenge, not a session. The attempt is taken off the
 * count again (a correct password is no failure, however slow the second step) but
 * the count is not cleared: only the second factor does that, so someone who has the
 * password cannot reset it between guesses of the code. A wrong second step counts.
 */
export async function signIn(
  ctx: AppContext,
  props: { email: string; password: string; ip?: string; userAgent?: string },
): Promise<SignInResult> {
  const invalid = new AppError("unauthenticated", "Wrong e-mail or password, or the account is locked for a while after too many attempts");
  const refuse = async (audit: { actor: Actor; action: string; data?: Record<string, unknown> }) => {
    await verifyPassword(props.password, await (dummyHash ??= hashPassword("not-a-real-password")));
    await writeAudit(ctx.db, { ...audit, ip: props.ip });
    return invalid;
  };
  // With single sign-on only (PASSWORD_SIGN_IN=false) the provider is the one way in.
  if (!ctx.config.PASSWORD_SIGN_IN) {
    throw new AppError("forbidden", "Sign in with your organisation's single sign-on", { reason: "password_sign_in_disabled" });
  }
  const agent = await reserveSignInAttempt(ctx.db, { email: props.email });
  if (!agent) throw await refuse({ actor: { type: "system" }, action: "auth.login_failed", data: { email: props.email.slice(0, 200) } });
  const actor = { type: "agent" as const, id: agent.id, role: agent.role, teamIds: [] };
  if (isLockedOut(agent)) {
    throw await refuse({ actor, action: agent.was_locked ? "auth.login_locked" : "auth.locked_out" });
  }
  if (!(await verifyPassword(props.password, agent.password_hash))) {
    await recordFailedAttempt(ctx.db, agent, { actor, action: "auth.login_failed", ip: props.ip });
    throw invalid;
  }
  const methods = await secondFactorMethods(ctx.db, agent);
  if (methods.length > 0) {
    await releaseSignInAttempt(ctx.db, agent.id);
    const challenge = await createSignInChallenge(ctx.db, { agentId: agent.id, ip: props.ip, userAgent: props.userAgent });
    await writeAudit(ctx.db, { actor, action: "auth.two_factor_challenged", ip: props.ip });
    return { kind: "two_factor", challenge: challenge.token, expiresAt: challenge.expiresAt, methods };
  }
  const session = await ctx.db.transaction((tx) => openAgentSession(ctx, tx, agent, props));
  return { kind: "session", ...session };
}
