import type { Queryable } from "../db/Database.ts";
import type { AgentRow } from "../conversations/types.ts";
import { hashToken } from "./identity.ts";

export interface AgentSession {
  agent: AgentRow;
  teamIds: string[];
  csrfToken: string;
}

/** Resolves a console session cookie to its agent, or undefined when unknown or expired. */
export async function findAgentSession(db: Queryable, token: string | undefined): Promise<AgentSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const { rows } = await db.query<AgentRow & { csrf_token: string; team_ids: string[] }>(
    `SELECT a.*, s.csrf_token,
            COALESCE((SELECT array_agg(tm.team_id::text) FROM team_members tm WHERE tm.agent_id = a.id), '{}') AS team_ids
     FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND a.disabled_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { csrf_token, team_ids, ...agent } = row;
  return { agent: agent as AgentRow, teamIds: team_ids, csrfToken: csrf_token };
}
