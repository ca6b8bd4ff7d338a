import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { webauthn } from "../../security/webauthn.ts";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { relyingPartyOf } from "../../security/relyingParty.ts";
import { newToken } from "../../auth/identity.ts";
import { bindingOf, consumeWebauthnChallenge, findSecurityKeyByCredential, storeWebauthnChallenge } from "../../auth/securityKeys.ts";
import { challengeAndOrigin, verifySecurityKeyAssertion } from "../../auth/securityKeyAssertion.ts";
import { isLockedOut, recordFailedAttempt, reserveSignInAttempt } from "../../auth/signInAttempts.ts";
import { openAgentSession, type OpenedSession } from "../../auth/openAgentSession.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { SYSTEM } from "../../actor.ts";

/** The same answer for every refusal, as for a wrong password: whose key it was, or whether it exists, is not told. */
const refused = () =>
  new AppError("unauthenticated", "This passkey did not sign you in, or the account is locked for a while after too many attempts", {
    reason: "passkey_refused",
  });

const notConfigured = () => new AppError("not_found", "Passkeys are not set up on this server", { reason: "passkeys_not_configured" });

/**
 * Passwordless sign-in, first step: request options asking the browser for any passkey of
 * this site (a discoverable credential, so no e-mail is typed) with the user verified by
 * the authenticator (PIN, fingerprint or face): the passkey is then two factors at once,
 * something the agent has and something they know or are. The challenge is random,
 * single-use, good for 5 minutes and bound to `attempt`, a token only this browser holds.
 */
export async function passkeySignInOptions(ctx: AppContext) {
  const rp = relyingPartyOf(ctx.config);
  if (!rp) throw notConfigured();
  if (!ctx.config.PASSWORD_SIGN_IN) throw ssoOnly();
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: [],
    userVerification: "required",
    timeout: 120_000,
  });
  const attempt = newToken().token;
  await storeWebauthnChallenge(ctx.db, { challenge: options.challenge, purpose: "passkey", agentId: null, boundTo: bindingOf(attempt) });
  return { attempt, options };
}

const ssoOnly = () => new AppError("forbidden", "Sign in with your organisation's single sign-on", { reason: "password_sign_in_disabled" });

/**
 * Passwordless sign-in, second step: the passkey's answer to this attempt's challenge.
 * The challenge is used up first (one answer per challenge, whatever follows); then the
 * key names its agent, whose account must be active and not locked. The attempt is
 * counted before the signature is checked, as a password's is, and a refused one counts
 * towards the lock-out. Checked: origin, RP ID hash, user presence and verification, the
 * signature, the counter (a clone is refused and audited), and that the user handle the
 * authenticator returned is the key's agent. With single sign-on only
 * (PASSWORD_SIGN_IN=false) the provider stays the one way in. Every outcome is audited.
 */
export async function signInWithPasskey(
  ctx: AppContext,
  props: { attempt: string; response: AuthenticationResponseJSON; ip?: string; userAgent?: string },
): Promise<OpenedSession> {
  const rp = relyingPartyOf(ctx.config);
  if (!rp) throw notConfigured();
  if (!ctx.config.PASSWORD_SIGN_IN) throw ssoOnly();
  const fail = async (reason: string, agentId?: string) => {
    await writeAudit(ctx.db, {
      actor: SYSTEM,
      action: "auth.login_failed",
      ...(agentId && { targetType: "agent", targetId: agentId }),
      data: { method: "passkey", reason },
      ip: props.ip,
    });
    return refused();
  };
  const clientData = await challengeAndOrigin(rp, props.response);
  if (!clientData) throw await fail("origin");
  const fresh = await consumeWebauthnChallenge(ctx.db, {
    challenge: clientData.challenge,
    purpose: "passkey",
    agentId: null,
    boundTo: bindingOf(props.attempt),
  });
  if (!fresh) throw await fail("challenge");
  const key = await findSecurityKeyByCredential(ctx.db, props.response.id);
  if (!key) throw await fail("unknown_key");
  const userHandle = props.response.response.userHandle;
  if (userHandle !== undefined && userHandle !== Buffer.from(key.agent_id.replace(/-/g, ""), "hex").toString("base64url")) {
    throw await fail("user_handle", key.agent_id);
  }
  const reserved = await reserveSignInAttempt(ctx.db, { agentId: key.agent_id });
  // Deactivated: the same answer as any other refusal.
  if (!reserved) throw await fail("inactive", key.agent_id);
  const actor = { type: "agent" as const, id: reserved.id, role: reserved.role, teamIds: [] };
  if (isLockedOut(reserved)) {
    await writeAudit(ctx.db, { actor, action: reserved.was_locked ? "auth.login_locked" : "auth.locked_out", ip: props.ip });
    throw refused();
  }
  const verified = await verifySecurityKeyAssertion(ctx, {
    rp,
    agent: reserved,
    key,
    response: props.response,
    clientData,
    requireUserVerification: true,
    ip: props.ip,
  });
  if (!verified) {
    await recordFailedAttempt(ctx.db, reserved, { actor, action: "auth.login_failed", ip: props.ip, data: { method: "passkey" } });
    throw refused();
  }
  return ctx.db.transaction((tx) =>
    openAgentSession(ctx, tx, reserved, { ip: props.ip, userAgent: props.userAgent, secondFactor: "passkey" }),
  );
}
