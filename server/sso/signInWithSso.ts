import crypto from "node:crypto";
import { sealIdToken } from "./ssoIdToken.ts";
import { secondFactorMethods } from "../auth/secondFactorMethods.ts";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { AgentRow } from "../models/agents.ts";
import { hashPassword } from "../auth/password.ts";
import { openAgentSession } from "../auth/openAgentSession.ts";
import { createSignInChallenge } from "../auth/signInChallenges.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { SignInResult } from "../commands/signIn.ts";
import { roleFromClaims, roleMapping } from "./claimRoles.ts";
import type { IdTokenClaims } from "./oidcClient.ts";
import { judgeStrength, strengthRequirement } from "./authenticationStrength.ts";

/** Why an SSO sign-in was refused: the console shows a message for each. */
export type SsoRefusal = "no_agent" | "deactivated" | "unverified_email" | "no_role" | "weak_authentication" | "failed";

export class SsoRefused extends Error {
  constructor(public readonly reason: SsoRefusal) {
    super(`single sign-on refused: ${reason}`);
    this.name = "SsoRefused";
  }
}

const SYSTEM_ACTOR: Actor = { type: "system" };

/**
 * Turns a verified ID token into a console session (or the TOTP step). Who it is:
 * the (issuer, subject) pair recorded at an earlier SSO sign-in, else an agent whose
 * e-mail matches the token's e-mail, and only if the provider says it verified that
 * e-mail (email_verified true); the pair is then recorded. A user with no agent is
 * refused unless OIDC_PROVISION_USERS creates one; a deactivated agent always is.
 * With OIDC_ROLE_CLAIM the role follows the provider at each sign-in.
 *
 * Authentication strength comes first: with OIDC_ACR_VALUES / OIDC_AMR_VALUES a token
 * without an accepted acr or amr is refused (`weak_authentication`) before anything is
 * looked up or linked.
 *
 * The second factor: the SSO sign-in counts as two-factor when the provider asserted one
 * in the token (amr "mfa", or the configured acr/amr requirement met) or when
 * OIDC_IDP_ENFORCES_MFA says the provider requires one of everyone; otherwise an agent
 * with TOTP set up still answers the code step, and the organisation's requirement to
 * set one up still holds.
 */
export async function signInWithSso(
  ctx: AppContext,
  claims: IdTokenClaims,
  props: { ip?: string; userAgent?: string; idToken?: string },
): Promise<SignInResult> {
  const config = ctx.config;
  const issuer = claims.iss;
  const subject = claims.sub;
  const email = typeof claims.email === "string" ? claims.email.trim().slice(0, 200) : undefined;
  const refuse = async (reason: SsoRefusal, agent?: AgentRow): Promise<never> => {
    const actor: Actor = agent ? { type: "agent", id: agent.id, role: agent.role, teamIds: [] } : SYSTEM_ACTOR;
    await writeAudit(ctx.db, { actor, action: "auth.sso_refused", data: { reason, issuer, subject, email }, ip: props.ip });
    throw new SsoRefused(reason);
  };
  const strength = judgeStrength(claims, strengthRequirement(config));
  if (!strength.accepted) {
    // Which levels and methods the provider reported (not personal) so an admin can see what to configure.
    await writeAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: "auth.sso_refused",
      data: { reason: "weak_authentication", issuer, subject, acr: strength.acr, amr: strength.amr },
      ip: props.ip,
    });
    throw new SsoRefused("weak_authentication");
  }
  const mapping = roleMapping(config);
  const mappedRole = mapping ? roleFromClaims(claims, mapping) : undefined;

  let agent = (
    await ctx.db.query<AgentRow>(
      "SELECT a.* FROM agent_sso_identities i JOIN agents a ON a.id = i.agent_id WHERE i.issuer = $1 AND i.subject = $2",
      [issuer, subject],
    )
  ).rows[0];
  if (!agent) {
    if (!email || claims.email_verified !== true) return refuse("unverified_email");
    agent = (await ctx.db.query<AgentRow>("SELECT * FROM agents WHERE lower(email) = lower($1)", [email])).rows[0];
    if (!agent) {
      if (!config.OIDC_PROVISION_USERS) return refuse("no_agent");
      if (mappedRole === null) return refuse("no_role");
      agent = await provision(ctx, {
        email,
        name: typeof claims.name === "string" ? claims.name : email,
        role: mappedRole ?? "agent",
        issuer,
        subject,
        ip: props.ip,
      });
    } else if (agent.disabled_at === null) {
      await ctx.db.query("INSERT INTO agent_sso_identities (issuer, subject, agent_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [
        issuer,
        subject,
        agent.id,
      ]);
      await writeAudit(ctx.db, {
        actor: { type: "agent", id: agent.id, role: agent.role, teamIds: [] },
        action: "auth.sso_linked",
        targetType: "agent",
        targetId: agent.id,
        data: { issuer, subject },
        ip: props.ip,
      });
    }
  }
  if (agent.disabled_at !== null) return refuse("deactivated", agent);
  if (mappedRole === null) return refuse("no_role", agent);
  if (mappedRole && mappedRole !== agent.role) {
    const from = agent.role;
    agent = (await ctx.db.query<AgentRow>("UPDATE agents SET role = $2 WHERE id = $1 RETURNING *", [agent.id, mappedRole])).rows[0]!;
    await writeAudit(ctx.db, {
      actor: SYSTEM_ACTOR,
      action: "agent.role_from_sso",
      targetType: "agent",
      targetId: agent.id,
      data: { from, to: mappedRole, claim: mapping!.claim },
      ip: props.ip,
    });
  }
  await ctx.db.query("UPDATE agent_sso_identities SET last_sign_in_at = now() WHERE issuer = $1 AND subject = $2", [issuer, subject]);

  const signedIn = agent;
  const sso = {
    issuer,
    subject,
    ...(typeof claims.sid === "string" && claims.sid.length <= 500 && { sid: claims.sid }),
    ...(props.idToken && { sealedIdToken: sealIdToken(ctx.secrets, props.idToken) }),
  };
  if (config.OIDC_IDP_ENFORCES_MFA || strength.multiFactor) {
    const session = await ctx.db.transaction((tx) => openAgentSession(ctx, tx, signedIn, { ...props, secondFactor: "idp_mfa", sso }));
    return { kind: "session", ...session };
  }
  const methods = await secondFactorMethods(ctx.db, signedIn);
  if (methods.length > 0) {
    const challenge = await createSignInChallenge(ctx.db, { agentId: signedIn.id, ip: props.ip, userAgent: props.userAgent, sso });
    await writeAudit(ctx.db, {
      actor: { type: "agent", id: signedIn.id, role: signedIn.role, teamIds: [] },
      action: "auth.two_factor_challenged",
      data: { method: "sso" },
      ip: props.ip,
    });
    return { kind: "two_factor", challenge: challenge.token, expiresAt: challenge.expiresAt, methods };
  }
  const session = await ctx.db.transaction((tx) => openAgentSession(ctx, tx, signedIn, { ...props, sso }));
  return { kind: "session", ...session };
}

/** A new agent for a user the provider vouches for. Their password is random and never told: they sign in through the provider. */
async function provision(
  ctx: AppContext,
  p: { email: string; name: string; role: "admin" | "agent"; issuer: string; subject: string; ip?: string },
): Promise<AgentRow> {
  const passwordHash = await hashPassword(crypto.randomBytes(32).toString("base64url"));
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<AgentRow>("INSERT INTO agents (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING *", [
      p.email,
      p.name.trim().slice(0, 200) || p.email,
      p.role,
      passwordHash,
    ]);
    const agent = rows[0]!;
    await tx.query("INSERT INTO agent_sso_identities (issuer, subject, agent_id) VALUES ($1, $2, $3)", [p.issuer, p.subject, agent.id]);
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "agent.create",
      targetType: "agent",
      targetId: agent.id,
      data: { email: agent.email, name: agent.name, role: agent.role, teamIds: [], via: "sso", issuer: p.issuer },
      ip: p.ip,
    });
    return agent;
  });
}
