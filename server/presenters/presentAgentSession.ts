import type { AgentSessionRow } from "../admin/listAgentSessions.ts";
import type { AgentSession } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

/** A console session for admins: who, from where, since when, last used; never its token. */
export function presentAgentSession(s: AgentSessionRow): Presented<AgentSession> {
  return {
    id: s.id,
    agent: { id: s.agent_id, name: s.agent_name, email: s.agent_email, role: s.agent_role },
    ip: s.ip,
    userAgent: s.user_agent,
    createdAt: s.created_at,
    lastActiveAt: s.last_active_at,
    expiresAt: s.expires_at,
    current: s.current,
  };
}
