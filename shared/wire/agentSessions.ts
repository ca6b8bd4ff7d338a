/** A console session as admins list it (GET /admin/sessions): who, from where, since when; never its token. Presenter: server/presenters/presentAgentSession.ts. */
export interface AgentSession {
  id: string;
  agent: { id: string; name: string; email: string; role: string };
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
  /** The session of the admin asking. */
  current: boolean;
}

/** GET /admin/sessions: the sessions in use, and after how many idle minutes one ends. */
export interface AgentSessionList {
  items: AgentSession[];
  idleMinutes: number;
}
