import type { Namespace } from "socket.io";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { findAgentSession } from "../../auth/agentSessions.ts";
import { findConversation } from "../../conversations/queries.ts";
import { authorizeRead } from "../../policies/conversationPolicy.ts";
import { SESSION_COOKIE } from "../web/authenticate.ts";
import { rooms } from "./rooms.ts";
import { on } from "./socketHandler.ts";
import { AGENT_REQUESTS, WIDGET_EVENTS, WIDGET_NAMESPACE, type TypingEvent } from "../../../shared/wire/index.ts";
import { updateAgentPresence, type PresenceChange } from "../../commands/updateAgentPresence.ts";
import { NODE_ID } from "../../assignment/nodeId.ts";
import { hashToken } from "../../auth/identity.ts";

type AgentActor = { type: "agent"; id: string; role: "admin" | "agent" | "content"; teamIds: string[] };

/**
 * How often a console socket re-reads its session, besides the `agent.access_changed`
 * event that closes it at once: a session that expires, or one changed by a process
 * that broadcasts to no socket (a CLI on the database), ends within this time.
 */
export const SESSION_RECHECK_MS = 60_000;

/** The rooms an agent's socket may hold: what their role and teams let them read (mirrors canReadConversation). */
function roomsOf(actor: AgentActor, tokenHash: string): string[] {
  const joined = [rooms.agent(actor.id), rooms.agentSession(tokenHash)];
  if (actor.role === "admin") joined.push(rooms.admins);
  else joined.push(rooms.unteamed, ...actor.teamIds.map(rooms.team));
  return joined;
}

/** Whether an Origin is the server's own (the Host it was reached at, or PUBLIC_URL). */
function consoleOrigin(origin: string, host: string | undefined, publicUrl: string | undefined): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (host && o.host === host) return true;
  if (!publicUrl) return false;
  try {
    return new URL(publicUrl).origin === o.origin;
  } catch {
    return false;
  }
}

const sameAccess = (a: AgentActor, b: AgentActor) =>
  a.id === b.id && a.role === b.role && [...a.teamIds].sort().join() === [...b.teamIds].sort().join();

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    // Found by fuzzing (tests/fuzz): a malformed %-escape made decodeURIComponent throw, and the
    // handshake was refused as "unavailable" (retryable) instead of "unauthenticated".
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The console's requests, validated once per event: shared by every agent's socket (widgetRequestSchemas.ts says why). */
const presenceSchema = z.object({ availability: z.enum(["online", "away"]) });
const typingSchema = z.object({ conversationId: z.string().uuid(), typing: z.boolean() });

/**
 * The console's socket, authenticated by the session cookie. An agent joins the
 * rooms of what it may see; presence (online/away/offline) follows its sockets.
 */
export function agentNamespace(nsp: Namespace, ctx: AppContext) {
  nsp.use(async (socket, next) => {
    // Only the console's own pages may open an agent socket: a browser on another site
    // (cross-site WebSocket hijacking) sends its Origin. Clients outside a browser send none.
    const origin = socket.handshake.headers.origin;
    if (origin && !consoleOrigin(origin, socket.handshake.headers.host, ctx.config.PUBLIC_URL)) return next(new Error("forbidden"));
    try {
      const token = cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
      const session = await findAgentSession(ctx, token);
      if (!session) return next(new Error("unauthenticated"));
      if (session.mustEnrolTwoFactor) return next(new Error("two_factor_enrolment_required"));
      socket.data.actor = { type: "agent", id: session.agent.id, role: session.agent.role, teamIds: session.teamIds };
      socket.data.token = token;
      next();
    } catch (err) {
      ctx.logger.warn({ err }, "agent auth failed");
      next(new Error("unavailable"));
    }
  });

  // Presence is derived from the agent's sockets on every node (agent_sockets) and
  // broadcast from the `agent.presence_changed` event (fanOutToSockets).
  const presence = (change: PresenceChange) =>
    updateAgentPresence(ctx, change).catch((err) => ctx.logger.warn({ err }, "presence update failed"));

  nsp.on("connection", (socket) => {
    const actor = socket.data.actor as AgentActor;
    const token = socket.data.token as string;
    if (actor.role === "content") {
      socket.disconnect(true);
      return;
    }
    void socket.join(roomsOf(actor, hashToken(token)));
    // The session is read again now that the socket is in its rooms: a sign-out,
    // deactivation or team change committed between the handshake's read and the
    // join broadcast its close before this socket could hear it.
    const recheck = async () => {
      try {
        const now = await findAgentSession(ctx, token);
        const current = now && { type: "agent" as const, id: now.agent.id, role: now.agent.role, teamIds: now.teamIds };
        if (!current || now.mustEnrolTwoFactor || !sameAccess(actor, current)) socket.disconnect(true);
      } catch (err) {
        ctx.logger.warn({ err }, "agent session recheck failed");
      }
    };
    void recheck().then(() => {
      if (socket.connected) void presence({ kind: "connected", agentId: actor.id, socketId: socket.id, node: NODE_ID });
    });
    const timer = setInterval(() => void recheck(), SESSION_RECHECK_MS);
    timer.unref();

    on(socket, ctx.logger, AGENT_REQUESTS.presence, presenceSchema, async (p) => {
      await updateAgentPresence(ctx, { kind: "chose", agentId: actor.id, availability: p.availability });
    });

    on(socket, ctx.logger, AGENT_REQUESTS.typing, typingSchema, async (p) => {
      const c = authorizeRead(actor, await findConversation(ctx.db, p.conversationId));
      const typing: TypingEvent = { conversationId: c.id, from: "agent", typing: p.typing };
      nsp.server.of(WIDGET_NAMESPACE).to(rooms.contact(c.contact_id)).emit(WIDGET_EVENTS.typing, typing);
    });

    // Offline only when this was the agent's last socket on any node, after a grace period.
    socket.on("disconnect", () => {
      clearInterval(timer);
      void presence({ kind: "disconnected", agentId: actor.id, socketId: socket.id });
    });
  });
}
