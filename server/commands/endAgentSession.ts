import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/**
 * An admin ends one console session (a lost laptop, a shared terminal): its cookie
 * stops working and its sockets close on every node at once. Audited.
 */
export async function endAgentSession(ctx: AppContext, props: { actor: Actor; sessionId: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  const ended = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ token_hash: string; agent_id: string; email: string }>(
      `DELETE FROM agent_sessions s USING agents a WHERE s.id = $1 AND a.id = s.agent_id
       RETURNING s.token_hash, s.agent_id, a.email`,
      [props.sessionId],
    );
    const row = rows[0];
    if (!row) throw notFound("Session");
    await writeAudit(tx, {
      actor: props.actor,
      action: "auth.session_ended",
      targetType: "agent",
      targetId: row.agent_id,
      data: { email: row.email, sessionId: props.sessionId },
      ip: props.ip,
    });
    return row;
  });
  ctx.bus.emit("agent.access_changed", { agentId: ended.agent_id, reason: "signed_out", sessionTokenHashes: [ended.token_hash] });
}
