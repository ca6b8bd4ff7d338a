import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { clearTwoFactor } from "../clearTwoFactor.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { lockAgent } from "../../commands/updateAgent.ts";

/**
 * An admin (or `bankdesk user reset-2fa`) takes away a console user's second factor
 * — a lost phone or key, no recovery codes left: the authenticator app and every
 * security key — and ends their sessions, sockets
 * included, on every node: whoever holds the phone or a session now has neither.
 * The user signs in with their password alone, or sets up a new authenticator
 * first if the organisation requires it. Audited.
 */
export async function resetAgentTwoFactor(ctx: AppContext, props: { actor: Actor; agentId: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  const agentId = await ctx.db.transaction(async (tx) => {
    const agent = await lockAgent(tx, props.agentId);
    const keys = await tx.query("SELECT 1 FROM agent_security_keys WHERE agent_id = $1", [agent.id]);
    await clearTwoFactor(tx, agent.id, { securityKeys: true });
    const ended = await tx.query("DELETE FROM agent_sessions WHERE agent_id = $1", [agent.id]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "agent.two_factor_reset",
      targetType: "agent",
      targetId: agent.id,
      data: {
        email: agent.email,
        wasEnabled: agent.totp_enabled_at !== null || (keys.rowCount ?? 0) > 0,
        securityKeysRemoved: keys.rowCount ?? 0,
        sessionsEnded: ended.rowCount,
      },
      ip: props.ip,
    });
    return agent.id;
  });
  ctx.bus.emit("agent.access_changed", { agentId, reason: "two_factor_reset" });
}
