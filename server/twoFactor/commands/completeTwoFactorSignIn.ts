import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { checkSecondFactor, type SecondFactor } from "../checkSecondFactor.ts";
import { consumeSignInChallenge, findSignInChallenge } from "../../auth/signInChallenges.ts";
import { openAgentSession, type OpenedSession } from "../../auth/openAgentSession.ts";

const expired = () =>
  new AppError("unauthenticated", "This sign-in has expired: enter your e-mail and password again", { reason: "challenge_expired" });

/**
 * The second step of a two-factor sign-in: the challenge from the password step and
 * a code from the agent's authenticator (or a recovery code), or a security key's answer
 * to this attempt's WebAuthn challenge. A wrong code (or key answer) counts
 * towards the lock-out like a wrong password; the challenge is used up by the
 * session it opens, so a second request with it (another valid code) opens nothing.
 */
export async function completeTwoFactorSignIn(
  ctx: AppContext,
  props: { challenge: string; factor: SecondFactor; ip?: string; userAgent?: string },
): Promise<OpenedSession> {
  const challenge = await findSignInChallenge(ctx.db, props.challenge);
  if (!challenge) throw expired();
  const { agent, method } = await checkSecondFactor(ctx, challenge.agentId, props.factor, {
    ip: props.ip,
    signInChallenge: props.challenge,
  });
  return ctx.db.transaction(async (tx) => {
    if (!(await consumeSignInChallenge(tx, props.challenge))) throw expired();
    return openAgentSession(ctx, tx, agent, { ip: props.ip, userAgent: props.userAgent, secondFactor: method, sso: challenge.sso });
  });
}
