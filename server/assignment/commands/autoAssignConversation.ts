import type { AppContext } from "../../context.ts";
import { SYSTEM } from "../../actor.ts";
import type { ConversationRow } from "../../models/conversations.ts";
import { findConversation } from "../../conversations/queries.ts";
import { assignmentSettings } from "../assignmentSettings.ts";
import type { Transaction } from "../../db/Database.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { postMessage } from "../../commands/postMessage.ts";
import { customerFacingName } from "../../agents/customerFacingName.ts";

export interface AutoAssignResult {
  conversation: ConversationRow | undefined;
  /** The agent it was given to, or null when it stays unassigned (already taken, nobody free, auto-assignment off). */
  assigneeId: string | null;
}

/**
 * Round-robin: gives an open, unassigned conversation to an online member of its
 * team (any online agent — not admins — when it has no team) who has room under
 * their capacity (open conversations), the least recently assigned first.
 *
 * Safe under concurrency on PostgreSQL: the conversation row is locked, so two
 * assigners of one conversation serialise and the second finds it taken; the
 * chosen agent's row is locked before their load is counted, so two assigners of
 * different conversations cannot both fill an agent's last slot. Locks are always
 * taken conversation first, then agent, and at most one agent at a time.
 */
export async function autoAssignConversation(ctx: AppContext, props: { conversationId: string }): Promise<AutoAssignResult> {
  const result = await ctx.db.transaction(async (tx) => {
    const c = await findConversation(tx, props.conversationId, { forUpdate: true });
    if (!c || c.status !== "open" || c.assignee_id) return { conversation: c, assigneeId: null, name: null };
    const settings = await assignmentSettings(tx, ctx.config, c.team_id);
    if (!settings.autoAssign) return { conversation: c, assigneeId: null, name: null };

    // Only agents with room as of now: when everyone is full there is nothing to lock.
    // (Trying each full agent in turn, locking their rows, made concurrent assigners
    // queue behind one another: 46 ms a lock under eval/bench/load.ts.) The lock and
    // the recount below still decide.
    const { rows: candidates } = await tx.query<{ id: string }>(
      `SELECT a.id FROM (
         SELECT a.id, a.last_assigned_at, a.created_at, a.capacity,
                (SELECT count(*) FROM conversations o WHERE o.assignee_id = a.id AND o.status = 'open') AS load
         FROM agents a
         WHERE a.availability = 'online' AND a.disabled_at IS NULL AND a.role <> 'content' AND a.capacity > 0
           AND CASE WHEN $1::uuid IS NULL THEN a.role = 'agent'
                    ELSE EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = $1 AND tm.agent_id = a.id) END
       ) a
       WHERE a.load < a.capacity
       ORDER BY a.last_assigned_at ASC NULLS FIRST, a.load ASC, a.created_at ASC, a.id ASC`,
      [c.team_id],
    );
    for (const candidate of candidates) {
      // A candidate found full after all is let go (its row lock with the savepoint):
      // an assigner never holds one agent while waiting for another, as two assigners
      // trying agents in different orders did, deadlocking (eval/bench/load.ts).
      await tx.query("SAVEPOINT candidate");
      const agent = await lockAgentWithRoom(tx, candidate.id);
      if (!agent) {
        await tx.query("ROLLBACK TO SAVEPOINT candidate");
        continue;
      }
      const { rows } = await tx.query<ConversationRow>(
        `UPDATE conversations SET assignee_id = $2, updated_at = now()
         WHERE id = $1 AND assignee_id IS NULL AND status = 'open' RETURNING *`,
        [c.id, agent.id],
      );
      if (!rows[0]) return { conversation: c, assigneeId: null, name: null };
      await tx.query("UPDATE agents SET last_assigned_at = clock_timestamp() WHERE id = $1", [agent.id]);
      await writeAudit(tx, {
        actor: SYSTEM,
        action: "conversation.auto_assign",
        targetType: "conversation",
        targetId: c.id,
        data: { to: { assignee: agent.id, team: c.team_id } },
      });
      return { conversation: rows[0], assigneeId: agent.id, name: customerFacingName(agent) };
    }
    return { conversation: c, assigneeId: null, name: null };
  });

  if (result.assigneeId && result.conversation) {
    ctx.bus.emit("conversation.updated", { conversation: result.conversation, changes: ["assignee_id", "auto_assigned"] });
    await postMessage(ctx, {
      conversationId: result.conversation.id,
      messageType: "activity",
      senderType: "system",
      content: `${result.name ?? "An agent"} joined the conversation`,
      contentAttributes: { kind: "assigned", agentName: result.name, automatic: true },
    });
  }
  return { conversation: result.conversation, assigneeId: result.assigneeId };
}

/**
 * Locks an agent's row, then checks (after the lock, so with every committed
 * assignment counted) that they are still online and under capacity.
 */
async function lockAgentWithRoom(
  tx: Transaction,
  agentId: string,
): Promise<{ id: string; name: string; display_name: string | null } | undefined> {
  const { rows } = await tx.query<{
    id: string;
    name: string;
    display_name: string | null;
    availability: string;
    capacity: number;
    disabled_at: Date | null;
  }>("SELECT id, name, display_name, availability, capacity, disabled_at FROM agents WHERE id = $1 FOR UPDATE", [agentId]);
  const a = rows[0];
  if (!a || a.availability !== "online" || a.disabled_at) return undefined;
  const load = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE assignee_id = $1 AND status = 'open'", [
    agentId,
  ]);
  return load.rows[0]!.n < a.capacity ? { id: a.id, name: a.name, display_name: a.display_name } : undefined;
}
