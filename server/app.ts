import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { Server as SocketServer } from "socket.io";
import type { Config, ServiceName } from "./config.ts";
import { createOutboundHttp } from "./security/outboundHttp.ts";
import { SecretBox } from "./security/secretBox.ts";
import { resealSecrets } from "./commands/resealSecrets.ts";
import type { AppContext } from "./context.ts";
import { createLogger, type Logger } from "./logger.ts";
import { openDatabase } from "./db/openDatabase.ts";
import type { Database } from "./db/Database.ts";
import { EventBus } from "./events/EventBus.ts";
import { createQueue } from "./queue/createQueue.ts";
import { redisBroadcaster, serverBroadcaster, type Broadcaster } from "./services/realtime/Broadcaster.ts";
import { batchAgentEvents } from "./services/realtime/batchAgentEvents.ts";
import { domainEventListeners, subscribeListeners } from "./events/listeners.ts";
import { modules, sealedSecrets } from "./modules.ts";
import { KnowledgeBase } from "./knowledge/KnowledgeBase.ts";

export interface App {
  ctx: AppContext;
  http?: http.Server;
  io?: SocketServer;
  url?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  services?: ServiceName[];
  logger?: Logger;
  /** Use this database instead of opening the configured one (tests). */
  db?: Database;
  /** Listen on this port instead of config.PORT (0: any free port). */
  port?: number;
}

/**
 * Starts the chosen services in this process: `web` (REST, pages), `realtime`
 * (Socket.IO) and `worker` (jobs). Any combination works; a deployment runs one
 * process with all three or several processes with one each.
 */
export async function startApp(opts: StartOptions): Promise<App> {
  const { config } = opts;
  const services = new Set(opts.services ?? config.SERVICES);
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  const db = opts.db ?? (await openDatabase(config));
  const bus = new EventBus((err, event) => logger.error({ err, event }, "event listener failed"));
  const queue = createQueue({
    redisUrl: config.REDIS_URL,
    db,
    logger,
    queueName: config.REDIS_PREFIX,
    stalled: { lockDurationMs: config.QUEUE_LOCK_DURATION_MS, stalledIntervalMs: config.QUEUE_STALLED_INTERVAL_MS },
    concurrency: config.QUEUE_CONCURRENCY,
  });
  const knowledge = await KnowledgeBase.create(db, config);
  const outbound = createOutboundHttp(config.OUTBOUND_ALLOW);
  const secrets = new SecretBox(config.SECRET_KEY, config.SECRET_KEY_PREVIOUS);
  const ctx: AppContext = { config, db, bus, queue, logger, knowledge, outbound, secrets };
  // Secrets an earlier version stored in plain text are encrypted before anything reads them.
  const sealed = await resealSecrets(ctx, sealedSecrets, { plainOnly: true });
  if (sealed.resealed > 0) logger.info({ count: sealed.resealed, keyId: sealed.keyId }, "encrypted secrets stored in plain text");
  if (sealed.unreadable.length > 0) logger.error({ where: sealed.unreadable }, "stored secrets that no configured key decrypts");

  const redis = config.REDIS_URL
    ? {
        // Auto-pipelining: the PUBLISHes of one tick (a message goes to the customer's
        // and the agents' rooms) leave in one write, not a system call each.
        pub: new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false, enableAutoPipelining: true }),
        sub: new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false }),
      }
    : undefined;
  redis?.pub.on("error", (err) => logger.warn({ err: err.message }, "redis (pub) error"));
  redis?.sub.on("error", (err) => logger.warn({ err: err.message }, "redis (sub) error"));

  for (const m of modules) await m.setup?.(ctx, services);

  let server: http.Server | undefined;
  let io: SocketServer | undefined;
  if (services.has("web") || services.has("realtime")) {
    const readinessChecks = redis ? [{ name: "redis", check: async () => void (await redis.pub.ping()) }] : [];
    // Express and Socket.IO (~15 and ~14 MB imported alone) are loaded only by a process that
    // serves them: a worker never does (with the modules' own Express uses: 188 → 179 MB idle).
    const app = services.has("web")
      ? (await import("./services/web/createWebApp.ts")).createWebApp(ctx, {
          readinessChecks,
          redis: redis && { client: redis.pub, prefix: config.REDIS_PREFIX },
          routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
          mounts: modules.flatMap((m) => (m.mount ? [m.mount] : [])),
        })
      : undefined;
    server = http.createServer(app);
    if (!app) server.on("request", (_req, res) => res.writeHead(404).end());
    if (services.has("realtime"))
      io = (await import("./services/realtime/createRealtime.ts")).createRealtime(
        server,
        ctx,
        redis && { ...redis, key: `${config.REDIS_PREFIX}-socket.io` },
      );
  }

  // Domain events reach sockets on every node, from any process; agents' events in batches under load.
  const direct: Broadcaster | undefined = io
    ? serverBroadcaster(io)
    : redis
      ? redisBroadcaster(redis.pub, `${config.REDIS_PREFIX}-socket.io`)
      : undefined;
  const broadcaster = direct && batchAgentEvents(direct);
  // Who reacts to each domain event: one table (events/listeners.ts).
  const unsubscribeListeners = subscribeListeners(bus, domainEventListeners(ctx, { sockets: broadcaster, io }));

  for (const m of modules) m.tasks?.(ctx);
  if (services.has("worker")) await queue.startWorker();

  let url: string | undefined;
  if (server) {
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(opts.port ?? config.PORT, config.HOST, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  }
  for (const m of modules) await m.started?.(ctx, services);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const m of [...modules].reverse()) await m.stop?.(ctx).catch((err) => logger.warn({ err }, "module stop failed"));
      broadcaster?.flush();
      // No new socket or request comes in; those in flight finish.
      if (io) await new Promise<void>((r) => io!.close(() => r()));
      if (server) {
        server.closeIdleConnections();
        await new Promise<void>((r) => server!.close(() => r()));
      }
      // Jobs in flight finish, and their events still reach other nodes' sockets.
      await queue.close();
      // Then nothing more is published: the socket adapter publishes without awaiting,
      // so a publish after the Redis connection closed was an unhandled rejection.
      unsubscribeListeners();
      broadcaster?.flush();
      await outbound.close();
      // The subscriber first (another node's request arriving now would be answered on
      // pub), then pub with QUIT, which sends what is queued before closing.
      if (redis) {
        await quitRedis(redis.sub);
        await quitRedis(redis.pub);
      }
      if (!opts.db) await db.close();
    })());
  return { ctx, http: server, io, url, close };
}

/** QUIT waits for the server to answer; one that is down never does, so give up after this and drop the connection. */
const REDIS_QUIT_WAIT_MS = 1000;

async function quitRedis(client: Redis): Promise<void> {
  if (client.status === "ready") {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((r) => (timer = setTimeout(r, REDIS_QUIT_WAIT_MS)));
    await Promise.race([client.quit().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
  }
  client.disconnect();
}
