import type { AppContext } from "../context.ts";

export type Availability = "online" | "away" | "offline";

/** A console socket counts while its node refreshed it within this time (a crashed node's sockets expire). */
export const SOCKET_STALE_SECONDS = 90;
/** Job run after the grace period once an agent's last socket is gone. */
export const PRESENCE_EXPIRE_JOB = "presence.expire";

export type PresenceChange =
  | { kind: "connected"; agentId: string; socketId: string; node: string }
  | { kind: "disconnected"; agentId: string; socketId: string }
  /** The console's away toggle. */
  | { kind: "chose"; agentId: string; availability: "online" | "away" }
  /** The grace period after the last socket left has passed: offline unless a socket came back. */
  | { kind: "expire"; agentId: string };

/**
 * Keeps an agent's availability in step with their console sockets, on any node:
 * every socket is a row of `agent_sockets` (so several tabs, and tabs on several
 * nodes, count together); the agent is offline when none is left, otherwise what
 * they chose (online, or away with the toggle). Going offline waits for a grace
 * period (a reload or a network blip does not release their conversations).
 * Emits `agent.presence_changed` when the derived availability changes.
 */
export async function updateAgentPresence(ctx: AppContext, change: PresenceChange): Promise<Availability | undefined> {
  const result = await ctx.db.transaction(async (tx) => {
    if (change.kind === "connected") {
      await tx.query(
        `INSERT INTO agent_sockets (socket_id, agent_id, node) VALUES ($1, $2, $3)
         ON CONFLICT (socket_id) DO UPDATE SET last_seen_at = now()`,
        [change.socketId, change.agentId, change.node],
      );
    } else if (change.kind === "disconnected") {
      await tx.query("DELETE FROM agent_sockets WHERE socket_id = $1", [change.socketId]);
    } else if (change.kind === "chose") {
      await tx.query("UPDATE agents SET chosen_availability = $2 WHERE id = $1", [change.agentId, change.availability]);
    }
    // The agent row lock serialises presence changes of one agent across nodes.
    const { rows } = await tx.query<{ availability: Availability; chosen_availability: "online" | "away" }>(
      "SELECT availability, chosen_availability FROM agents WHERE id = $1 FOR UPDATE",
      [change.agentId],
    );
    const agent = rows[0];
    if (!agent) return undefined;
    const live = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agent_sockets WHERE agent_id = $1 AND last_seen_at > now() - make_interval(secs => $2)`,
      [change.agentId, SOCKET_STALE_SECONDS],
    );
    const sockets = live.rows[0]!.n;
    const graceOver = change.kind === "expire" || (change.kind === "disconnected" && ctx.config.OFFLINE_GRACE_SECONDS === 0);
    const next: Availability = sockets > 0 ? agent.chosen_availability : graceOver ? "offline" : agent.availability;
    if (next !== agent.availability) await tx.query("UPDATE agents SET availability = $2 WHERE id = $1", [change.agentId, next]);
    return { previous: agent.availability, next, sockets, graceOver };
  });
  if (!result) return undefined;
  if (result.next !== result.previous) {
    ctx.bus.emit("agent.presence_changed", { agentId: change.agentId, availability: result.next, previous: result.previous });
  }
  if (change.kind === "disconnected" && result.sockets === 0 && !result.graceOver && result.next !== "offline") {
    await ctx.queue.enqueue(
      PRESENCE_EXPIRE_JOB,
      { agentId: change.agentId },
      { delayMs: ctx.config.OFFLINE_GRACE_SECONDS * 1000, jobId: `presence-expire:${change.agentId}:${Date.now()}` },
    );
  }
  return result.next;
}

/**
 * Keeps this node's sockets alive in `agent_sockets`, and expires agents whose
 * sockets all went stale (their node died without saying goodbye).
 */
export async function refreshPresence(ctx: AppContext, node: string): Promise<void> {
  await ctx.db.query("UPDATE agent_sockets SET last_seen_at = now() WHERE node = $1", [node]);
}

/** Agents marked online or away without a live socket for longer than the grace period: expire them. */
export async function sweepPresence(ctx: AppContext): Promise<number> {
  await ctx.db.query("DELETE FROM agent_sockets WHERE last_seen_at < now() - make_interval(secs => $1)", [SOCKET_STALE_SECONDS]);
  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT a.id FROM agents a
     WHERE a.availability <> 'offline' AND NOT EXISTS (SELECT 1 FROM agent_sockets s WHERE s.agent_id = a.id)`,
  );
  for (const r of rows) await updateAgentPresence(ctx, { kind: "expire", agentId: r.id });
  return rows.length;
}
