import type { AuthenticationResponseJSON, AuthenticatorTransport } from "@simplewebauthn/server";
import { webauthn } from "../security/webauthn.ts";
import type { AppContext } from "../context.ts";
import type { AgentRow } from "../models/agents.ts";
import { allowsOrigin, relyingPartyOf, type RelyingParty } from "../security/relyingParty.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import {
  bindingOf,
  consumeWebauthnChallenge,
  findSecurityKey,
  listSecurityKeys,
  storeWebauthnChallenge,
  type SecurityKeyRow,
} from "./securityKeys.ts";

/**
 * The browser's request options for a sign-in's security-key step: the agent's keys,
 * and a fresh challenge bound to this sign-in attempt (its challenge token), single-use
 * and good for 5 minutes. Undefined when the agent has no key or keys are not configured.
 */
export async function securityKeySignInOptions(ctx: AppContext, agentId: string, signInChallenge: string) {
  const rp = relyingPartyOf(ctx.config);
  const keys = await listSecurityKeys(ctx.db, agentId);
  if (!rp || keys.length === 0) return undefined;
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports as AuthenticatorTransport[] })),
    // The password was the first factor: the key only has to be present (touched).
    userVerification: "discouraged",
    timeout: 120_000,
  });
  await storeWebauthnChallenge(ctx.db, {
    challenge: options.challenge,
    purpose: "sign_in",
    agentId,
    boundTo: bindingOf(signInChallenge),
  });
  return options;
}

/**
 * Whether a key's answer proves the agent is here: a key of theirs, a challenge we gave
 * this very sign-in attempt (used up now), an origin the console is served from, our RP
 * ID's hash, the user's touch, a good signature over it all, and a signature counter
 * above the stored one (verifySecurityKeyAssertion).
 */
export async function acceptSecurityKeyAssertion(
  ctx: AppContext,
  agent: AgentRow,
  response: AuthenticationResponseJSON,
  props: { signInChallenge: string; ip?: string },
): Promise<boolean> {
  const rp = relyingPartyOf(ctx.config);
  if (!rp) return false;
  const key = await findSecurityKey(ctx.db, agent.id, response.id);
  if (!key) return false;
  const clientData = await challengeAndOrigin(rp, response);
  if (!clientData) return false;
  const fresh = await consumeWebauthnChallenge(ctx.db, {
    challenge: clientData.challenge,
    purpose: "sign_in",
    agentId: agent.id,
    boundTo: bindingOf(props.signInChallenge),
  });
  if (!fresh) return false;
  return verifySecurityKeyAssertion(ctx, { rp, agent, key, response, clientData, requireUserVerification: false, ip: props.ip });
}

/** The challenge and origin the browser signed, if the origin is one the console is served from. */
export async function challengeAndOrigin(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
): Promise<{ challenge: string; origin: string } | undefined> {
  const { decodeClientDataJSON } = await webauthn();
  let clientData: { challenge: unknown; origin: unknown };
  try {
    clientData = decodeClientDataJSON(response.response.clientDataJSON);
  } catch {
    return undefined;
  }
  if (typeof clientData.origin !== "string" || !allowsOrigin(rp, clientData.origin)) return undefined;
  return { challenge: String(clientData.challenge), origin: clientData.origin };
}

/**
 * The signature of a key's answer to a challenge already used up: over our RP ID's hash,
 * the origin and the user's presence (and verification, a PIN or fingerprint, when asked
 * for), and a signature counter above the stored one. A counter that does not grow means
 * two authenticators share the key (a clone): refused and audited as
 * `auth.security_key_counter_regressed`. The new counter is written only if no other
 * sign-in raced past it.
 */
export async function verifySecurityKeyAssertion(
  ctx: AppContext,
  props: {
    rp: RelyingParty;
    agent: AgentRow;
    key: SecurityKeyRow;
    response: AuthenticationResponseJSON;
    clientData: { challenge: string; origin: string };
    requireUserVerification: boolean;
    ip?: string;
  },
): Promise<boolean> {
  const { rp, agent, key, response, clientData } = props;
  const stored = Number(key.counter);
  let newCounter: number;
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: clientData.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: rp.id,
      // The counter is compared below, after the signature, so a clone is told apart from junk.
      credential: {
        id: key.credential_id,
        publicKey: new Uint8Array(key.public_key),
        counter: 0,
        transports: key.transports as AuthenticatorTransport[],
      },
      requireUserVerification: props.requireUserVerification,
    });
    if (!verified.verified) return false;
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    return false;
  }
  const regressed = async () => {
    await writeAudit(ctx.db, {
      actor: { type: "agent", id: agent.id, role: agent.role, teamIds: [] },
      action: "auth.security_key_counter_regressed",
      targetType: "security_key",
      targetId: key.id,
      data: { name: key.name, storedCounter: stored, presentedCounter: newCounter },
      ip: props.ip,
    });
    ctx.logger.warn({ agentId: agent.id, securityKeyId: key.id }, "security key counter went backwards: possibly a cloned key");
    return false;
  };
  if ((newCounter > 0 || stored > 0) && newCounter <= stored) return regressed();
  const r = await ctx.db.query(
    `UPDATE agent_security_keys SET counter = $2, last_used_at = now()
     WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))`,
    [key.id, newCounter],
  );
  return r.rowCount === 1 || regressed();
}
