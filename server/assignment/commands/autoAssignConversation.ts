import type { AppContext } from "../../context.ts";
import { SYSTEM } from "../../actor.ts";
import type { ConversationRow } from "../../models/conversations.ts";
import { findConversation } from "../../conversations/queries.ts";
import { assignmentSettings } from "../assignmentSettings.ts";
import type { Database } from "../../db/Database.ts";
import { auditFrom } from "../../audit/writeAudit.ts";
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
 * The agent is chosen without holding any lock on the conversation: the customer's
 * messages to it (whose insert locks its row, commands/postMessage.ts) go on while
 * the settings and candidates are read. Only the write locks it (assignTo below).
 *
 * Safe under concurrency on PostgreSQL: the write is conditional (still open,
 * unassigned and in the team the agent was chosen for), so of two assigners of one
 * conversation the second finds it taken; the chosen agent's row is locked before
 * their load is counted, so two assigners of different conversations cannot both
 * fill an agent's last slot.
 */
export async function autoAssignConversation(ctx: AppContext, props: { conversationId: string }): Promise<AutoAssignResult> {
  const c = await findConversation(ctx.db, props.conversationId);
  if (!c || c.status !== "open" || c.assignee_id) return { conversation: c, assigneeId: null };
  const settings = await assignmentSettings(ctx.db, ctx.config, c.team_id);
  if (!settings.autoAssign) return { conversation: c, assigneeId: null };

  // Only agents with room as of now: when everyone is full there is nothing to lock.
  // (Trying each full agent in turn, locking their rows, made concurrent assigners
  // queue behind one another: 46 ms a lock under eval/bench/load.ts.) The lock and
  // the recount in assignTo still decide.
  const { rows: candidates } = await ctx.db.query<{ id: string }>(
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
    const outcome = await assignTo(ctx.db, c, candidate.id);
    if (outcome === "agent_unavailable") continue;
    if (outcome === "conversation_not_waiting") break;
    ctx.bus.emit("conversation.updated", { conversation: outcome.conversation, changes: ["assignee_id", "auto_assigned"] });
    await postMessage(ctx, {
      conversationId: outcome.conversation.id,
      messageType: "activity",
      senderType: "system",
      content: `${outcome.name ?? "An agent"} joined the conversation`,
      contentAttributes: { kind: "assigned", agentName: outcome.name, automatic: true },
    });
    return { conversation: outcome.conversation, assigneeId: candidate.id };
  }
  return { conversation: c, assigneeId: null };
}

type AssignOutcome = { conversation: ConversationRow; name: string | null } | "agent_unavailable" | "conversation_not_waiting";

/**
 * Gives the conversation to the agent if they are still online with room, in a
 * transaction of two statements: the agent's row is locked first, so assigners of
 * that agent take turns and the second statement (a new snapshot under READ
 * COMMITTED) counts every assignment committed before; then one statement counts
 * their load, assigns the conversation, stamps the agent and writes the audit
 * record, each only if the one before it happened. The conversation's row is locked
 * by that statement alone, until the commit right after it.
 *
 * The agent's row is locked FOR NO KEY UPDATE, not FOR UPDATE: a manual assignment
 * to the same agent holds the conversation's row and its foreign-key check takes
 * KEY SHARE on the agent's, which FOR UPDATE would block while this waits for the
 * conversation's row (a deadlock); NO KEY UPDATE still serialises assigners.
 */
async function assignTo(db: Database, c: ConversationRow, agentId: string): Promise<AssignOutcome> {
  const audit = auditFrom(
    "assigned",
    {
      actor: SYSTEM,
      action: "conversation.auto_assign",
      targetType: "conversation",
      targetId: c.id,
      data: { to: { assignee: agentId, team: c.team_id } },
    },
    5,
  );
  return db.transaction(async (tx) => {
    const { rows: agents } = await tx.query<{ name: string; display_name: string | null; capacity: number }>(
      `SELECT name, display_name, capacity FROM agents
       WHERE id = $1 AND availability = 'online' AND disabled_at IS NULL FOR NO KEY UPDATE`,
      [agentId],
    );
    const agent = agents[0];
    if (!agent) return "agent_unavailable";
    const { rows } = await tx.query<ConversationRow & { agent_load: number }>(
      `WITH load AS (
         SELECT count(*)::int AS n FROM conversations WHERE assignee_id = $2 AND status = 'open'
       ), assigned AS (
         UPDATE conversations SET assignee_id = $2, updated_at = now()
         WHERE id = $1 AND assignee_id IS NULL AND status = 'open' AND team_id IS NOT DISTINCT FROM $3::uuid
           AND (SELECT n FROM load) < $4
         RETURNING *
       ), stamped AS (
         UPDATE agents SET last_assigned_at = clock_timestamp() WHERE id = $2 AND EXISTS (SELECT 1 FROM assigned)
       ), audit AS (${audit.sql})
       SELECT assigned.*, load.n AS agent_load FROM load LEFT JOIN assigned ON true`,
      [c.id, agentId, c.team_id, agent.capacity, ...audit.params],
    );
    const { agent_load, ...conversation } = rows[0]!;
    if (conversation.id) return { conversation, name: customerFacingName(agent) };
    return agent_load >= agent.capacity ? "agent_unavailable" : "conversation_not_waiting";
  });
}
