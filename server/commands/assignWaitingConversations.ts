import type { AppContext } from "../context.ts";
import { autoAssignCondition } from "../assignment/assignmentSettings.ts";
import { autoAssignConversation } from "./autoAssignConversation.ts";

/**
 * Works through the queue of open, unassigned conversations (longest waiting
 * first) whose team assigns automatically, and round-robins each to an online
 * agent with room. Run when an agent comes online or frees capacity. Stops when a
 * pass assigns nothing. Returns how many it assigned.
 */
export async function assignWaitingConversations(ctx: AppContext, props: { limit?: number } = {}): Promise<number> {
  const limit = props.limit ?? 200;
  let assigned = 0;
  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT c.id FROM conversations c
     WHERE c.status = 'open' AND c.assignee_id IS NULL AND ${autoAssignCondition("$1")}
     ORDER BY c.waiting_since ASC NULLS LAST, c.created_at ASC
     LIMIT $2`,
    [ctx.config.AUTO_ASSIGN, limit],
  );
  for (const { id } of rows) {
    if (!(await anyoneWithRoom(ctx))) break;
    const r = await autoAssignConversation(ctx, { conversationId: id });
    if (r.assigneeId) assigned++;
  }
  return assigned;
}

/** Whether any online agent is under capacity (a cheap check before each attempt). */
async function anyoneWithRoom(ctx: AppContext): Promise<boolean> {
  const { rows } = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM agents a
     WHERE a.availability = 'online' AND a.disabled_at IS NULL AND a.role <> 'content'
       AND (SELECT count(*) FROM conversations o WHERE o.assignee_id = a.id AND o.status = 'open') < a.capacity`,
  );
  return rows[0]!.n > 0;
}
