import type { Queryable } from "../db/Database.ts";
import type { Config } from "../config.ts";
import type { AgentRow } from "../models/agents.ts";
import { hashToken } from "./identity.ts";
import { HAS_SECURITY_KEY_SQL } from "./securityKeys.ts";

export interface AgentSession {
  agent: AgentRow;
  teamIds: string[];
  csrfToken: string;
  /**
   * The organisation requires two-factor sign-in and this agent has set up neither an
   * authenticator app nor a security key:
   * the session is good for setting it up (and signing out) only. A session from single
   * sign-on at a provider that enforces its own second factor is two-factor already.
   */
  mustEnrolTwoFactor: boolean;
}

/**
 * Resolves a console session cookie to its agent, or undefined when unknown,
 * expired, or idle for longer than SESSION_IDLE_MINUTES.
 */
export async function findAgentSession(
  ctx: { db: Queryable; config: Pick<Config, "SESSION_IDLE_MINUTES"> },
  token: string | undefined,
): Promise<AgentSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const { rows } = await ctx.db.query<AgentRow & { csrf_token: string; team_ids: string[]; must_enrol_two_factor: boolean }>(
    `SELECT a.*, s.csrf_token,
            (a.totp_enabled_at IS NULL AND NOT ${HAS_SECURITY_KEY_SQL} AND NOT s.idp_mfa AND COALESCE((SELECT require_staff_two_factor FROM organisation_settings), false)) AS must_enrol_two_factor,
            COALESCE((SELECT array_agg(tm.team_id::text) FROM team_members tm WHERE tm.agent_id = a.id), '{}') AS team_ids
     FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_active_at > now() - make_interval(mins => $2)
       AND a.disabled_at IS NULL`,
    [hashToken(token), ctx.config.SESSION_IDLE_MINUTES],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { csrf_token, team_ids, must_enrol_two_factor, ...agent } = row;
  return { agent: agent as AgentRow, teamIds: team_ids, csrfToken: csrf_token, mustEnrolTwoFactor: must_enrol_two_factor };
}

/** Records that the agent used the console (it reports activity at most once a minute). */
export async function touchAgentSession(db: Queryable, token: string | undefined): Promise<void> {
  if (!token || token.length > 200) return;
  await db.query("UPDATE agent_sessions SET last_active_at = now() WHERE token_hash = $1", [hashToken(token)]);
}
