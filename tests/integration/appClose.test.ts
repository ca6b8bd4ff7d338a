import { describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/testApp.ts";

/**
 * Closing a node with events still arriving (a job finishing, a presence change).
 * The Socket.IO Redis adapter publishes without awaiting, so an event that reached
 * the sockets after the Redis connection closed was an unhandled rejection
 * ("Connection is closed"), which fails a whole test run. After close, no listener
 * of the domain events is left to publish anything.
 */
const withRedis = Boolean(process.env.REDIS_URL);

describe("closing a node", () => {
  it.skipIf(!withRedis)("publishes nothing after its Redis connections closed (PostgreSQL + Redis)", async () => {
    const app = await startTestApp();
    const agentId = (await app.db.query<{ id: string }>("SELECT id FROM agents LIMIT 1")).rows[0]!.id;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      await app.ctx.db.query("SELECT 1");
      const closing = app.close();
      for (let i = 0; i < 20; i++) {
        app.ctx.bus.emit("agent.presence_changed", { agentId, availability: "away", previous: "online" });
        await new Promise((r) => setTimeout(r, 25));
      }
      await closing;
      for (let i = 0; i < 5; i++) app.ctx.bus.emit("agent.presence_changed", { agentId, availability: "online", previous: "away" });
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off("unhandledRejection", onRejection);
    }
    expect(rejections.map(String)).toEqual([]);
  });
});
