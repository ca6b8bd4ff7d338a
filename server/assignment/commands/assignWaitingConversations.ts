import type { AppContext } from "../../context.ts";
import { autoAssignCondition } from "../assignmentSettings.ts";
import { autoAssignConversation } from "./autoAssignConversation.ts";

/**
 * Works through the queue of open, unassigned conversations (longest waiting
 * first) whose team assigns automatically, and round-robins each to an online
 * agent with room. Run when an agent comes online or frees capacity (every team),
 * and on a handoff (its team: the new conversation takes its place in the queue
 * rather than jumping it, whichever worker runs first). Stops when nobody who
 * could take the next one has room. Returns how many it assigned.
 */
export async function assignWaitingConversations(
  ctx: AppContext,
  props: { limit?: number; /** Only this team's queue (null: conversations with no team). */ teamId?: string | null } = {},
): Promise<number> {
  const limit = props.limit ?? 200;
  const oneTeam = props.teamId !== undefined;
  let assigned = 0;
  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT c.id FROM conversations c
     WHERE c.status = 'open' AND c.assignee_id IS NULL AND ${autoAssignCondition("$1")}
       AND (NOT $3::boolean OR c.team_id IS NOT DISTINCT FROM $4::uuid)
     ORDER BY c.waiting_since ASC NULLS LAST, c.created_at ASC
     LIMIT $2`,
    [ctx.config.AUTO_ASSIGN, limit, oneTeam, props.teamId ?? null],
  );
  for (const { id } of rows) {
    if (!(await anyoneWithRoom(ctx, oneTeam ? { teamId: props.teamId ?? null } : undefined))) break;
    const r = await autoAssignConversation(ctx, { conversationId: id });
    if (r.assigneeId) assigned++;
  }
  return assigned;
}

/**
 * Whether any online agent is under capacity (a cheap check before each attempt):
 * of the team when given (any agent, not admins, for conversations with no team,
 * as autoAssignConversation picks them).
 */
async function anyoneWithRoom(ctx: AppContext, scope?: { teamId: string | null }): Promise<boolean> {
  const { rows } = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM agents a
     WHERE a.availability = 'online' AND a.disabled_at IS NULL AND a.role <> 'content'
       AND (SELECT count(*) FROM conversations o WHERE o.assignee_id = a.id AND o.status = 'open') < a.capacity
       AND (NOT $1::boolean OR CASE WHEN $2::uuid IS NULL THEN a.role = 'agent'
              ELSE EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = $2 AND tm.agent_id = a.id) END)`,
    [scope !== undefined, scope?.teamId ?? null],
  );
  return rows[0]!.n > 0;
}
