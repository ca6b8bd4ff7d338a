import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import type { AppContext } from "../../context.ts";
import { widgetNamespace } from "./widgetNamespace.ts";
import { agentNamespace } from "./agentNamespace.ts";

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
  if (redis) io.adapter(createAdapter(redis.pub, redis.sub, { key: redis.key }));
  widgetNamespace(io.of("/widget"), ctx);
  agentNamespace(io.of("/agent"), ctx);
  return io;
}
