import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { AgentRow } from "../models/agents.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/**
 * An agent chooses what customers call them (their profile); null returns to the
 * default, their first name. Any signed-in console user may change their own, and
 * only their own: admins change others' through updateAgent. Audited like every
 * change to an agent. Messages already sent keep the name they were sent with.
 */
export async function setOwnDisplayName(
  ctx: AppContext,
  props: { actor: Actor; displayName: string | null; ip?: string },
): Promise<AgentRow> {
  if (props.actor.type !== "agent") throw new AppError("forbidden", "Only a console user has a profile");
  const agentId = props.actor.id;
  return ctx.db.transaction(async (tx) => {
    const { rows: before } = await tx.query<AgentRow>("SELECT * FROM agents WHERE id = $1 FOR UPDATE", [agentId]);
    if (!before[0]) throw notFound("Agent");
    const { rows } = await tx.query<AgentRow>("UPDATE agents SET display_name = $2, updated_at = now() WHERE id = $1 RETURNING *", [
      agentId,
      props.displayName,
    ]);
    if (before[0].display_name !== props.displayName) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "agent.update",
        targetType: "agent",
        targetId: agentId,
        data: { changes: { displayName: { from: before[0].display_name, to: props.displayName } } },
        ip: props.ip,
      });
    }
    return rows[0]!;
  });
}
