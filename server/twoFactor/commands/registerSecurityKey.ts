import type { AuthenticatorTransport, PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { webauthn } from "../../security/webauthn.ts";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { allowsOrigin, relyingPartyOf, type RelyingParty } from "../../security/relyingParty.ts";
import {
  bindingOf,
  consumeWebauthnChallenge,
  listSecurityKeys,
  storeWebauthnChallenge,
  type SecurityKeyRow,
} from "../../auth/securityKeys.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/** More than anyone carries; a bound on what one account can store. */
export const MAX_SECURITY_KEYS = 10;

export const securityKeysUnavailable = () =>
  new AppError("conflict", "Security keys are not set up on this server (WEBAUTHN_RP_ID or PUBLIC_URL)", {
    reason: "security_keys_unavailable",
  });

const refused = (message: string) => new AppError("validation_error", message, [{ path: "response", message }]);

function relyingParty(ctx: AppContext): RelyingParty {
  const rp = relyingPartyOf(ctx.config);
  if (!rp) throw securityKeysUnavailable();
  return rp;
}

function agentOf(actor: Actor) {
  if (actor.type !== "agent") throw forbidden("Security keys are for console users");
  return actor;
}

/**
 * The browser's creation options for a new security key or passkey: a challenge bound
 * to this console session (single-use, 5 minutes), the agent's existing keys excluded
 * so one key is not registered twice. No attestation is asked for: which make of key it
 * is does not matter here, that it holds the private key does.
 */
export async function startSecurityKeyRegistration(
  ctx: AppContext,
  props: { actor: Actor; sessionToken: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const actor = agentOf(props.actor);
  const rp = relyingParty(ctx);
  const { rows } = await ctx.db.query<{ email: string; name: string }>("SELECT email, name FROM agents WHERE id = $1", [actor.id]);
  const agent = rows[0];
  if (!agent) throw forbidden();
  const keys = await listSecurityKeys(ctx.db, actor.id);
  if (keys.length >= MAX_SECURITY_KEYS) throw new AppError("conflict", `At most ${MAX_SECURITY_KEYS} security keys: remove one first`);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: agent.email,
    userDisplayName: agent.name,
    // Stable per agent, and no e-mail address in it (the key stores the user handle).
    userID: Buffer.from(actor.id.replace(/-/g, ""), "hex"),
    attestationType: "none",
    excludeCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    timeout: 120_000,
  });
  await storeWebauthnChallenge(ctx.db, {
    challenge: options.challenge,
    purpose: "registration",
    agentId: actor.id,
    boundTo: bindingOf(props.sessionToken),
  });
  return options;
}

/**
 * Stores the key the browser made, once its answer checks out: the challenge we gave
 * this session (used up now), an origin the console is served from, our RP ID, the
 * user's touch, a supported algorithm. Kept: credential id, public key, counter,
 * transports, the agent's name for it. Audited as `auth.security_key_added`.
 */
export async function finishSecurityKeyRegistration(
  ctx: AppContext,
  props: { actor: Actor; sessionToken: string; name: string; response: RegistrationResponseJSON; ip?: string },
): Promise<SecurityKeyRow> {
  const actor = agentOf(props.actor);
  const rp = relyingParty(ctx);
  const { decodeClientDataJSON, verifyRegistrationResponse } = await webauthn();
  let clientData: { challenge: string; origin: string };
  try {
    clientData = decodeClientDataJSON(props.response.response.clientDataJSON);
  } catch {
    throw refused("The key's answer could not be read");
  }
  if (typeof clientData.origin !== "string" || !allowsOrigin(rp, clientData.origin)) {
    throw refused("The key was asked from a page this server does not serve (WEBAUTHN_ORIGINS)");
  }
  const fresh = await consumeWebauthnChallenge(ctx.db, {
    challenge: String(clientData.challenge),
    purpose: "registration",
    agentId: actor.id,
    boundTo: bindingOf(props.sessionToken),
  });
  if (!fresh) throw refused("This registration has expired or was already used: add the key again");
  let info;
  try {
    const verified = await verifyRegistrationResponse({
      response: props.response,
      expectedChallenge: clientData.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!verified.verified) throw new Error("not verified");
    info = verified.registrationInfo;
  } catch {
    throw refused("The key's answer did not check out: try again");
  }
  return ctx.db.transaction(async (tx) => {
    // Serialises registrations of one agent, so the limit holds under parallel requests.
    await tx.query("SELECT 1 FROM agents WHERE id = $1 FOR UPDATE", [actor.id]);
    const { rows: count } = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM agent_security_keys WHERE agent_id = $1", [
      actor.id,
    ]);
    if (count[0]!.n >= MAX_SECURITY_KEYS) throw new AppError("conflict", `At most ${MAX_SECURITY_KEYS} security keys: remove one first`);
    const { rows } = await tx.query<SecurityKeyRow>(
      `INSERT INTO agent_security_keys (agent_id, credential_id, public_key, counter, transports, name, aaguid, backed_up)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (credential_id) DO NOTHING RETURNING *`,
      [
        actor.id,
        info.credential.id,
        Buffer.from(info.credential.publicKey),
        info.credential.counter,
        (props.response.response.transports ?? []).slice(0, 8),
        props.name,
        info.aaguid,
        info.credentialBackedUp,
      ],
    );
    const key = rows[0];
    if (!key) throw new AppError("conflict", "This key is registered already");
    await writeAudit(tx, {
      actor,
      action: "auth.security_key_added",
      targetType: "security_key",
      targetId: key.id,
      data: { name: key.name, transports: key.transports, backedUp: key.backed_up },
      ip: props.ip,
    });
    return key;
  });
}
