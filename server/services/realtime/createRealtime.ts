import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import type { AppContext } from "../../context.ts";
import { widgetNamespace } from "./widgetNamespace.ts";
import { agentNamespace } from "./agentNamespace.ts";
import { AGENT_NAMESPACE, WIDGET_NAMESPACE } from "../../../shared/wire/index.ts";

export const MAX_SOCKET_PAYLOAD = 100_000;

/**
 * Socket.IO with two namespaces, /widget (customers) and /agent (console). With
 * Redis, the adapter shares rooms between server processes.
 */
export function createRealtime(http: HttpServer, ctx: AppContext, redis?: { pub: Redis; sub: Redis; key: string }): Server {
  const io = new Server(http, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    cors: { origin: true, credentials: false },
    connectionStateRecovery: undefined,
  });
  if (redis) {
    io.adapter(createAdapter(redis.pub, redis.sub, { key: redis.key }));
    resyncAfterSubscriberLoss(io, redis.sub, ctx);
  }
  widgetNamespace(io.of(WIDGET_NAMESPACE), ctx, redis?.pub);
  agentNamespace(io.of(AGENT_NAMESPACE), ctx);
  return io;
}

/**
 * Redis pub/sub is fire-and-forget: what other nodes (and workers) broadcast while
 * this node's subscriber was disconnected (a Redis restart) never arrives here, and
 * the sockets, still connected to this node, would not know they missed it. The
 * widget (by sequence number) and the console resync whenever they reconnect, so
 * once the subscriber is back (and has re-subscribed) this node closes its local
 * sockets; the clients reconnect after "io server disconnect" and catch up from the
 * database. Found by tests/faults/redisOutage.fault.ts.
 */
function resyncAfterSubscriberLoss(io: Server, sub: Redis, ctx: AppContext) {
  let lost = false;
  sub.on("close", () => (lost = true));
  // Whichever of connect/ready comes first after the loss triggers the resync, once.
  const back = () => {
    if (!lost) return;
    lost = false;
    setTimeout(() => {
      const n = io.of("/widget").sockets.size + io.of("/agent").sockets.size;
      ctx.logger.warn({ sockets: n }, "redis subscriber reconnected: asking this node's sockets to reconnect and resync");
      io.of("/widget").local.disconnectSockets();
      io.of("/agent").local.disconnectSockets();
    }, 1000).unref();
  };
  sub.on("connect", back);
  sub.on("ready", back);
}
