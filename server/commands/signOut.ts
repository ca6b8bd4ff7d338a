import type { AppContext } from "../context.ts";
import { hashToken } from "../auth/identity.ts";

/**
 * Ends one console session: the cookie stops working, and the console sockets
 * opened with it close on every node (`agent.access_changed`), so a signed-out tab
 * receives nothing more, private notes included. Says whether the session came from
 * single sign-on (the console may then be sent to sign out at the provider too).
 */
export async function signOut(ctx: AppContext, props: { token: string | undefined }): Promise<{ viaSso: boolean; sealedIdToken?: string }> {
  if (!props.token || props.token.length > 200) return { viaSso: false };
  const tokenHash = hashToken(props.token);
  const { rows } = await ctx.db.query<{ agent_id: string; sso_issuer: string | null; sso_id_token: string | null }>(
    "DELETE FROM agent_sessions WHERE token_hash = $1 RETURNING agent_id, sso_issuer, sso_id_token",
    [tokenHash],
  );
  const ended = rows[0];
  if (ended) ctx.bus.emit("agent.access_changed", { agentId: ended.agent_id, reason: "signed_out", sessionTokenHashes: [tokenHash] });
  return { viaSso: Boolean(ended?.sso_issuer), ...(ended?.sso_id_token && { sealedIdToken: ended.sso_id_token }) };
}
