import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { AgentRow, Role } from "../models/agents.ts";
import { hashPassword } from "../auth/password.ts";
import { assertAcceptablePassword } from "../auth/passwordPolicy.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { assertTeamsExist } from "./updateAgent.ts";

export interface CreateAgentProps {
  actor: Actor;
  email: string;
  name: string;
  role: Role;
  password: string;
  /**
   * The password came from randomPassword() (the demo's users, a user created without one):
   * 96 random bits need no guessability check, and the check's dictionaries cost a process
   * ~17 MB of RSS for as long as it runs (README, "Idle memory").
   */
  passwordGenerated?: boolean;
  teamIds?: string[];
  ip?: string;
}

/** Creates a console user (admin, agent or content editor) with a hashed password. */
export async function createAgent(ctx: AppContext, props: CreateAgentProps): Promise<AgentRow> {
  authorize(canAdminister(props.actor));
  if (!props.passwordGenerated) await assertAcceptablePassword(props.password, [props.email, props.name]);
  const passwordHash = await hashPassword(props.password);
  return ctx.db.transaction(async (tx) => {
    const exists = await tx.query("SELECT 1 FROM agents WHERE lower(email) = lower($1)", [props.email]);
    if (exists.rowCount > 0)
      throw new AppError("conflict", `An agent with e-mail ${props.email} already exists`, [{ path: "email", message: "Already in use" }]);
    await assertTeamsExist(tx, props.teamIds ?? []);
    const { rows } = await tx.query<AgentRow>("INSERT INTO agents (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING *", [
      props.email.trim(),
      props.name.trim(),
      props.role,
      passwordHash,
    ]);
    const agent = rows[0]!;
    for (const teamId of props.teamIds ?? []) {
      await tx.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [teamId, agent.id]);
    }
    await writeAudit(tx, {
      actor: props.actor,
      action: "agent.create",
      targetType: "agent",
      targetId: agent.id,
      data: { email: agent.email, name: agent.name, role: agent.role, teamIds: props.teamIds ?? [] },
      ip: props.ip,
    });
    return agent;
  });
}
