import type { Queryable } from "../db/Database.ts";
import { hashToken } from "../auth/identity.ts";

export interface AgentSessionRow {
  id: string;
  agent_id: string;
  agent_name: string;
  agent_email: string;
  agent_role: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_active_at: Date;
  expires_at: Date;
  current: boolean;
}

/** Console sessions still usable (not expired, not idle), most recently active first. */
export async function listAgentSessions(db: Queryable, opts: { idleMinutes: number; currentToken?: string }): Promise<AgentSessionRow[]> {
  const { rows } = await db.query<AgentSessionRow>(
    `SELECT s.id, s.agent_id, a.name AS agent_name, a.email AS agent_email, a.role AS agent_role, s.ip, s.user_agent,
            s.created_at, s.last_active_at, s.expires_at, s.token_hash = $2 AS current
     FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
     WHERE s.expires_at > now() AND s.last_active_at > now() - make_interval(mins => $1) AND a.disabled_at IS NULL
     ORDER BY s.last_active_at DESC
     LIMIT 500`,
    [opts.idleMinutes, opts.currentToken ? hashToken(opts.currentToken) : ""],
  );
  return rows;
}
