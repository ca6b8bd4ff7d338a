import type { AppContext } from "../context.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { LogoutTokenRejected, type LogoutToken } from "./oidcClient.ts";

/**
 * The identity provider says a user's session there ended (a verified back-channel
 * logout token): the console sessions it opened end too, and their sockets close on
 * every node through `agent.access_changed`, exactly as at sign-out. A token names the
 * provider's session (sid: only the sessions signed in through it), the user (sub: all
 * their sessions from this provider), or both (both must match; a session whose ID token
 * carried no sid is matched by the sub alone, rather than left open). A token is good once:
 * its jti is remembered, and a second delivery is refused as a replay. No matching
 * session is no error (the agent may have signed out already): the provider is told OK.
 */
export async function endSsoSessions(ctx: AppContext, token: LogoutToken, props: { ip?: string }): Promise<{ ended: number }> {
  const ended = await ctx.db.transaction(async (tx) => {
    await tx.query("DELETE FROM sso_logout_tokens WHERE expires_at < now()");
    const fresh = await tx.query(
      "INSERT INTO sso_logout_tokens (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (issuer, jti) DO NOTHING",
      [token.issuer, token.jti, token.acceptableUntil],
    );
    if (fresh.rowCount !== 1) throw new LogoutTokenRejected("replayed_jti");
    const { rows } = await tx.query<{ id: string; token_hash: string; agent_id: string }>(
      `DELETE FROM agent_sessions
       WHERE sso_issuer = $1
         AND ($2::text IS NULL OR sso_sid = $2 OR (sso_sid IS NULL AND $3::text IS NOT NULL))
         AND ($3::text IS NULL OR sso_subject = $3)
       RETURNING id, token_hash, agent_id`,
      [token.issuer, token.sid ?? null, token.sub ?? null],
    );
    const agents = [...new Set(rows.map((r) => r.agent_id))];
    for (const agentId of agents) {
      await writeAudit(tx, {
        actor: { type: "system" },
        action: "auth.sso_logout",
        targetType: "agent",
        targetId: agentId,
        data: {
          issuer: token.issuer,
          sid: token.sid,
          subject: token.sub,
          sessionsEnded: rows.filter((r) => r.agent_id === agentId).length,
        },
        ip: props.ip,
      });
    }
    return rows;
  });
  // After the commit: a socket that reconnects at once must find its session gone.
  for (const agentId of new Set(ended.map((r) => r.agent_id))) {
    ctx.bus.emit("agent.access_changed", {
      agentId,
      reason: "signed_out",
      sessionTokenHashes: ended.filter((r) => r.agent_id === agentId).map((r) => r.token_hash),
    });
  }
  return { ended: ended.length };
}
