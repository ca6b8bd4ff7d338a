import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { Redis } from "ioredis";
import { connectWidget, emitAck, FIXTURE_KNOWLEDGE, INTENTS, nextEvent, signInAgent, unpackAgentEvents } from "../helpers/testApp.ts";
import { createTestDatabase } from "../helpers/testDatabase.ts";
import { startChildServer, stopAllChildren, type ChildServer } from "../helpers/childServer.ts";
import type { Database } from "../../server/db/Database.ts";

/**
 * Scale-out: two server processes (`--services web,realtime`) and one worker
 * (`--services worker`), each a real child process started through the CLI,
 * sharing one PostgreSQL database and one Redis (under a prefix of their own).
 * A customer on node A and an agent on node B talk in real time both ways, and
 * the assistant's reply — a job enqueued by A — is done by the worker.
 */
const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const SKIP_REASON = "scale-out needs real PostgreSQL and Redis: set DATABASE_URL and REDIS_URL to run it";

type Message = { id: string; seq: number; content: string; conversationId: string; senderType?: string; sender?: { type: string } };
type Ack = { ok: boolean; message?: Message; error?: { code: string; message: string } };

describe.skipIf(!enabled)(`scale-out: two web/realtime nodes and a worker (${enabled ? "PostgreSQL + Redis" : SKIP_REASON})`, () => {
  let db: Database & { url?: string };
  let a: ChildServer;
  let b: ChildServer;
  let dataDir: string;
  const sockets: Socket[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-scale-"));
    env = {
      DATABASE_URL: db.url!,
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_PREFIX: `bdscale_${crypto.randomBytes(4).toString("hex")}`,
      // Every node must sign and check sessions with the same key.
      SECRET_KEY: crypto.randomBytes(32).toString("hex"),
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      INTENTS_DIR: INTENTS,
      KNOWLEDGE_WATCH: "false",
      AUTO_ASSIGN: "false",
      DEMO_SEED: "false",
    };
    // Only node A seeds the demo bank (inbox, admin); both apply migrations, under a lock.
    [a, b] = await Promise.all([
      startChildServer({ name: "node-a", services: "web,realtime", env: { ...env, DEMO_SEED: "true" } }),
      startChildServer({ name: "node-b", services: "web,realtime", env }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await stopAllChildren();
    await db?.close();
    // The shared Redis keeps nothing of this run: BullMQ's keys live under bull:<prefix>:*, the widget limits under <prefix>:limit:*.
    if (env) {
      const redis = new Redis(process.env.REDIS_URL!);
      const keys = [...(await redis.keys(`bull:${env.REDIS_PREFIX}:*`)), ...(await redis.keys(`${env.REDIS_PREFIX}:limit:*`))];
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("a customer on node A and an agent on node B talk in real time; A's job is done by the worker", async () => {
    const password = (await a.waitFor(/Demo admin: (\S+) password: (\S+)/))[2]!;
    const { cookie, csrf } = await signInAgent({ url: b.url! }, "admin@bayviewbank.example", password);
    const agent = unpackAgentEvents(
      connect(`${b.url}/agent`, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, reconnection: false }),
    );
    sockets.push(agent);
    await new Promise<void>((resolve, reject) => (agent.once("connect", () => resolve()), agent.once("connect_error", reject)));

    const customer = await connectWidget({ url: a.url! });
    sockets.push(customer.socket);

    // Customer (A) → agent (B), through the Socket.IO Redis adapter.
    const agentHears = nextEvent<{ message: Message }>(agent, "message", (e) => e.message.content === "I lost my card");
    const sent = await emitAck<Ack>(customer.socket, "message:send", { clientId: "scale-1", content: "I lost my card" });
    expect(sent.ok).toBe(true);
    const conversationId = sent.message!.conversationId;
    expect((await agentHears).message.conversationId).toBe(conversationId);

    // The assistant's reply is a job A put in Redis; neither web node runs jobs, so
    // it waits until a worker process exists.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_type = 'bot'", [conversationId]);
    expect(before.rows).toHaveLength(0);

    const botToCustomer = nextEvent<Message>(customer.socket, "message", (m) => m.seq > sent.message!.seq, 60_000);
    const botToAgent = nextEvent<{ message: Message }>(agent, "message", (e) => e.message.seq > sent.message!.seq, 60_000);
    const t0 = Date.now();
    const worker = await startChildServer({ name: "worker", services: "worker", env });
    const workerStartMs = Date.now() - t0;
    const reply = await botToCustomer;
    expect((await botToAgent).message.id).toBe(reply.id);
    const { rows: bot } = await db.query<{ sender_type: string; client_id: string }>(
      "SELECT sender_type, client_id FROM messages WHERE id = $1",
      [reply.id],
    );
    expect(bot).toEqual([{ sender_type: "bot", client_id: `bot:${sent.message!.id}` }]);
    expect(worker.exited).toBe(false);
    console.info(`scale-out: worker started in ${workerStartMs} ms, bot reply ${Date.now() - t0} ms after the worker was launched`);

    // Agent (B, over HTTP) → customer (A).
    const customerHears = nextEvent<Message>(customer.socket, "message", (m) => m.content === "I have frozen it for you.");
    const res = await fetch(`${b.url}/api/v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
      body: JSON.stringify({ content: "I have frozen it for you." }),
    });
    expect(res.status).toBe(201);
    await customerHears;

    // Typing indicators cross nodes in both directions too.
    const customerSeesTyping = nextEvent<{ from: string; typing: boolean }>(customer.socket, "typing", (e) => e.from === "agent");
    expect(await emitAck<Ack>(agent, "typing", { conversationId, typing: true })).toMatchObject({ ok: true });
    expect(await customerSeesTyping).toMatchObject({ typing: true });
    const agentSeesTyping = nextEvent<{ from: string; conversationId: string }>(agent, "typing", (e) => e.from === "contact");
    expect(await emitAck<Ack>(customer.socket, "typing", { conversationId, typing: true })).toMatchObject({ ok: true });
    expect((await agentSeesTyping).conversationId).toBe(conversationId);

    // Everything was stored once, whichever node or process wrote it.
    const { rows: all } = await db.query<{ sender_type: string }>(
      "SELECT sender_type FROM messages WHERE conversation_id = $1 AND private = false AND message_type <> 'activity' ORDER BY seq",
      [conversationId],
    );
    expect(all.map((m) => m.sender_type)).toEqual(["contact", "bot", "agent"]);
  }, 120_000);

  it("counts a customer's events on every node together (the widget limits live in Redis)", async () => {
    const session = await fetch(`${a.url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inbox: "website", name: "Two tabs" }),
    });
    const { token } = (await session.json()) as { token: string };
    const open = async (url: string) => {
      const s = connect(`${url}/widget`, { auth: { token }, transports: ["websocket"], forceNew: true, reconnection: false });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)));
      return s;
    };
    const [onA, onB] = [await open(a.url!), await open(b.url!)];
    // Five new conversations a minute per customer: three through A and two through B use them up.
    const acks: Ack[] = [];
    for (const s of [onA, onA, onA, onB, onB, onB]) acks.push(await emitAck<Ack>(s, "conversation:create", {}));
    expect(acks.slice(0, 5).every((x) => x.ok)).toBe(true);
    expect(acks[5]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  }, 60_000);

  it("counts sign-in attempts from one address on every node together (the sign-in limit lives in Redis)", async () => {
    // One client address (the nodes believe X-Forwarded-For from loopback, as from their proxy),
    // of its own so that the other tests' sign-ins are not counted with it.
    const address = `198.51.100.${crypto.randomInt(1, 250)}`;
    const attempt = (url: string) =>
      fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address },
        body: JSON.stringify({ email: "nobody@example.com", password: "not-the-password" }),
      }).then((r) => r.status);
    // Thirty in fifteen minutes per address: twenty through A and ten through B use them up.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await attempt(a.url!));
    for (let i = 0; i < 10; i++) statuses.push(await attempt(b.url!));
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(await attempt(b.url!)).toBe(429);
    expect(await attempt(a.url!)).toBe(429);
  }, 60_000);
});
