import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { hashPassword, randomPassword } from "../auth/password.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { assertAcceptablePassword } from "../auth/passwordPolicy.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { lockAgent } from "./updateAgent.ts";

export interface ResetAgentPasswordProps {
  actor: Actor;
  agentId: string;
  /** The new password; a random one is generated (and returned once) when omitted. */
  password?: string;
  ip?: string;
}

/**
 * Sets a new password for a console user, lifts a lock-out and ends their sessions
 * (a stolen session dies with the old password). Returns the generated password,
 * if one was generated, for the admin to pass on; it is stored only as a hash and
 * never written to the audit log.
 */
export async function resetAgentPassword(ctx: AppContext, props: ResetAgentPasswordProps): Promise<{ generatedPassword: string | null }> {
  authorize(canAdminister(props.actor));
  if (props.password !== undefined) {
    const who = (await ctx.db.query<{ email: string; name: string }>("SELECT email, name FROM agents WHERE id = $1", [props.agentId]))
      .rows[0];
    await assertAcceptablePassword(props.password, who ? [who.email, who.name] : []);
  }
  const password = props.password ?? randomPassword();
  const hash = await hashPassword(password);
  const agentId = await ctx.db.transaction(async (tx) => {
    const agent = await lockAgent(tx, props.agentId);
    await tx.query("UPDATE agents SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1", [
      agent.id,
      hash,
    ]);
    const ended = await tx.query("DELETE FROM agent_sessions WHERE agent_id = $1", [agent.id]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "agent.password_reset",
      targetType: "agent",
      targetId: agent.id,
      data: { email: agent.email, generated: props.password === undefined, sessionsEnded: ended.rowCount },
      ip: props.ip,
    });
    return agent.id;
  });
  ctx.bus.emit("agent.access_changed", { agentId, reason: "password_reset" });
  return { generatedPassword: props.password === undefined ? password : null };
}
