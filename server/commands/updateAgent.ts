import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { Queryable, Transaction } from "../db/Database.ts";
import type { AgentRow, Role } from "../models/agents.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { authorizeAgentChange } from "../policies/agentPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export interface UpdateAgentProps {
  actor: Actor;
  agentId: string;
  name?: string;
  /** What customers see (null: the first name); the agent may also set it in their profile. */
  displayName?: string | null;
  email?: string;
  role?: Role;
  /** Replaces the agent's team memberships. */
  teamIds?: string[];
  /** Conversations auto-assignment may give the agent at once. */
  capacity?: number;
  ip?: string;
}

/** Locks the agent row and returns it with its teams, or throws not_found. */
export async function lockAgent(tx: Transaction, agentId: string): Promise<AgentRow & { team_ids: string[] }> {
  const { rows } = await tx.query<AgentRow & { team_ids: string[] }>(
    `SELECT a.*, COALESCE((SELECT array_agg(tm.team_id::text ORDER BY tm.team_id) FROM team_members tm WHERE tm.agent_id = a.id), '{}') AS team_ids
     FROM agents a WHERE a.id = $1 FOR UPDATE`,
    [agentId],
  );
  if (!rows[0]) throw notFound("Agent");
  return rows[0];
}

/**
 * Active admins, with their rows locked so that two admins demoting each other at
 * the same moment cannot leave the console without one.
 */
export async function countActiveAdmins(tx: Transaction): Promise<number> {
  const { rows } = await tx.query<{ id: string }>(
    "SELECT id FROM agents WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE",
  );
  return rows.length;
}

/** Checks that every team id exists; throws validation_error naming the first unknown one. */
export async function assertTeamsExist(tx: Queryable, teamIds: string[]): Promise<void> {
  if (!teamIds.length) return;
  const { rows } = await tx.query<{ id: string }>("SELECT id::text FROM teams WHERE id = ANY($1::uuid[])", [teamIds]);
  const known = new Set(rows.map((r) => r.id));
  const missing = teamIds.find((t) => !known.has(t));
  if (missing) throw new AppError("validation_error", `No such team: ${missing}`, [{ path: "teamIds", message: "No such team" }]);
}

/**
 * Changes a console user's name, display name, e-mail, role, teams or capacity. Refuses to demote
 * the last active admin. The audit entry holds the changed fields (never the
 * password hash).
 */
export async function updateAgent(ctx: AppContext, props: UpdateAgentProps): Promise<AgentRow & { team_ids: string[] }> {
  authorize(canAdminister(props.actor));
  const updated = await ctx.db.transaction(async (tx) => {
    const admins = props.role !== undefined ? await countActiveAdmins(tx) : 0;
    const before = await lockAgent(tx, props.agentId);
    if (props.role !== undefined) {
      authorizeAgentChange(props.actor, {
        target: { id: before.id, role: before.role, active: before.disabled_at === null },
        next: { role: props.role, active: before.disabled_at === null },
        activeAdmins: admins,
      });
    }
    const email = props.email?.trim();
    if (email !== undefined && email.toLowerCase() !== before.email.toLowerCase()) {
      const taken = await tx.query("SELECT 1 FROM agents WHERE lower(email) = lower($1) AND id <> $2", [email, before.id]);
      if (taken.rowCount > 0)
        throw new AppError("conflict", `Another user already has the e-mail ${email}`, [{ path: "email", message: "Already in use" }]);
    }
    const teamIds = props.teamIds ? [...new Set(props.teamIds)].sort() : undefined;
    if (teamIds) await assertTeamsExist(tx, teamIds);

    const next = {
      name: props.name?.trim() ?? before.name,
      displayName: props.displayName !== undefined ? props.displayName : before.display_name,
      email: email ?? before.email,
      role: props.role ?? before.role,
      capacity: props.capacity ?? before.capacity,
    };
    const { rows } = await tx.query<AgentRow>(
      "UPDATE agents SET name = $2, email = $3, role = $4, capacity = $5, display_name = $6, updated_at = now() WHERE id = $1 RETURNING *",
      [before.id, next.name, next.email, next.role, next.capacity, next.displayName],
    );
    if (teamIds) {
      await tx.query("DELETE FROM team_members WHERE agent_id = $1 AND NOT (team_id = ANY($2::uuid[]))", [before.id, teamIds]);
      for (const teamId of teamIds) {
        await tx.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [teamId, before.id]);
      }
    }
    const changes = auditDiff({ ...before, displayName: before.display_name, teamIds: before.team_ids } as Record<string, unknown>, {
      ...next,
      teamIds,
    });
    if (Object.keys(changes).length) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "agent.update",
        targetType: "agent",
        targetId: before.id,
        data: { changes },
        ip: props.ip,
      });
    }
    const accessChanged = next.role !== before.role || (teamIds !== undefined && teamIds.join() !== [...before.team_ids].sort().join());
    return { agent: { ...rows[0]!, team_ids: teamIds ?? before.team_ids }, accessChanged };
  });
  if (updated.accessChanged) ctx.bus.emit("agent.access_changed", { agentId: updated.agent.id, reason: "role_or_teams_changed" });
  return updated.agent;
}
