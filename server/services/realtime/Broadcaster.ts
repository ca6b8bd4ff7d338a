import type { Server } from "socket.io";
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import type { ServerEvents, SocketNamespace } from "../../../shared/wire/index.ts";
import type { Presented } from "../../presenters/Presented.ts";

/**
 * Sends an event to rooms of a namespace, on every node; the event and its payload are the
 * wire contract's. `except`: rooms (a socket id is a room of its own) left out, on every node.
 */
export interface Broadcaster {
  to<N extends SocketNamespace, E extends keyof ServerEvents[N] & string>(
    namespace: N,
    rooms: string[],
    event: E,
    payload: Presented<ServerEvents[N][E]>,
    except?: string[],
  ): void;
  /** Closes the sockets in these rooms, on every node. */
  disconnect(namespace: SocketNamespace, rooms: string[]): void;
}

/** In a process that runs the realtime service: the Socket.IO server (its adapter spans nodes). */
export function serverBroadcaster(io: Server): Broadcaster {
  return {
    to(namespace, roomList, event, payload, except) {
      const rooms = io.of(namespace).to(roomList);
      (except?.length ? rooms.except(except) : rooms).emit(event, payload);
    },
    disconnect(namespace, roomList) {
      io.of(namespace).in(roomList).disconnectSockets(true);
    },
  };
}

/** In a worker-only process: the Redis emitter publishes to the realtime nodes' adapter. */
export function redisBroadcaster(redis: Redis, key: string): Broadcaster {
  const emitter = new Emitter(redis, { key });
  return {
    to(namespace, roomList, event, payload, except) {
      const rooms = emitter.of(namespace).to(roomList);
      (except?.length ? rooms.except(except) : rooms).emit(event, payload);
    },
    disconnect(namespace, roomList) {
      emitter.of(namespace).in(roomList).disconnectSockets(true);
    },
  };
}
