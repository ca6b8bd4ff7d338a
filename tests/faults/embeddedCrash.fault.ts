import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer, stopAllChildren, type ChildServer } from "../helpers/childServer.ts";
import { FIXTURE_KNOWLEDGE, INTENTS } from "../helpers/testApp.ts";
import { startRecorder, type Recorder } from "../integration/channels/channelHelpers.ts";
import { QUESTIONS } from "./faultCluster.ts";
import { SimulatedCustomer, eventually } from "./SimulatedCustomer.ts";

/**
 * The embedded mode (PGlite, no Redis) killed with SIGKILL three times while
 * customers chat and a webhook receives every message (security finding 11).
 * Jobs live in the database (DatabaseQueue), so a reply or a delivery queued
 * before the crash runs after the restart; one whose enqueue the crash beat is
 * found by the unanswered-message sweep (replies) or the start-up recovery of
 * message deliveries (webhooks). Afterwards: every message stored once, every
 * customer question answered exactly once, every message delivered.
 */
const CUSTOMERS = 8;
/** Under the widget's per-customer limit of 20 messages in 10 s (limitWidgetEvents.ts). */
const SEND_EVERY_MS = 600;
const CRASHES = 3;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("the embedded server killed mid-chat", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;
  let receiver: Recorder;
  let server: ChildServer;
  const customers: SimulatedCustomer[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-embedded-crash-"));
    receiver = await startRecorder();
    port = await freePort();
    env = {
      DATABASE_URL: "",
      REDIS_URL: "",
      DATA_DIR: dataDir,
      SECRET_KEY: crypto.randomBytes(32).toString("hex"),
      KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      INTENTS_DIR: INTENTS,
      KNOWLEDGE_WATCH: "false",
      AUTO_ASSIGN: "false",
      DEMO_SEED: "true",
      OUTBOUND_ALLOW: "127.0.0.1",
      WEBHOOK_DELIVERY_BACKOFF_MS: "200",
    };
    server = await startChildServer({ name: "embedded", services: "web,realtime,worker", env, port });
  }, 120_000);

  afterAll(async () => {
    for (const c of customers) c.close();
    await stopAllChildren();
    await receiver?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("loses no message, no reply and no webhook delivery", async () => {
    const password = server.output().match(/Demo admin: \S+ password: (\S+)/)![1]!;
    const signIn = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@bayviewbank.example", password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const hook = await fetch(`${server.url}/api/v1/webhooks`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
      body: JSON.stringify({ url: `${receiver.url}/hook`, events: ["message.created"] }),
    });
    expect(hook.status).toBe(201);

    for (let i = 0; i < CUSTOMERS; i++) customers.push(await SimulatedCustomer.start(`crash${i}`, server.url!));
    let sending = true;
    let n = 0;
    const talk = setInterval(() => {
      if (!sending) return;
      for (const c of customers) c.send(QUESTIONS[n++ % QUESTIONS.length]!);
    }, SEND_EVERY_MS);

    try {
      for (let crash = 0; crash < CRASHES; crash++) {
        await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1500));
        await server.kill();
        server = await startChildServer({ name: `embedded-${crash + 1}`, services: "web,realtime,worker", env, port });
      }
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      sending = false;
      clearInterval(talk);
    }
    await eventually(() => customers.every((c) => c.unacknowledged === 0), 60_000, "every message acknowledged");

    const sent = customers.flatMap((c) => c.generated);
    const url = server.url!;
    // Read through the running server's own database: the embedded one has no other door.
    // Undefined while the server cannot answer yet (the API's limit of 600 requests a
    // minute per address, or a restart still settling); any other refusal is a failure.
    type Message = { id: string; clientId?: string | null; sender: { type: string }; attributes: Record<string, unknown> };
    const ledger = async (): Promise<Message[] | undefined> => {
      const messages: Message[] = [];
      for (const id of customers.map((c) => c.conversationId)) {
        const r = await fetch(`${url}/api/v1/conversations/${id}/messages?limit=500`, { headers: { cookie } });
        if (r.status === 429 || r.status >= 500) return undefined;
        if (!r.ok) throw new Error(`reading conversation ${id}: ${r.status} ${await r.text()}`);
        messages.push(...((await r.json()) as { items: Message[] }).items);
      }
      return messages;
    };
    const elapsed = await eventually(
      async () => {
        const messages = await ledger();
        if (!messages) return false;
        const fromCustomers = messages.filter((m) => m.sender.type === "contact");
        const replies = messages.filter((m) => m.sender.type === "bot" && typeof m.attributes.replyTo === "string");
        const answered = new Map<string, number>();
        for (const r of replies) answered.set(r.attributes.replyTo as string, (answered.get(r.attributes.replyTo as string) ?? 0) + 1);
        const delivered = new Set(
          receiver.requests.map((r) => (JSON.parse(r.body) as { data: { message: { id: string } } }).data.message.id),
        );
        return (
          fromCustomers.length === sent.length &&
          fromCustomers.every((m) => answered.get(m.id) === 1) &&
          messages.every((m) => delivered.has(m.id))
        );
      },
      // The sweep re-queues a reply whose enqueue the crash beat after 30 s, at its next run (every 60 s).
      150_000,
      "every question answered once and every message delivered",
      // Eight reads a second stay under the API's 600 a minute.
      1000,
    );
    let messages: Message[] | undefined;
    await eventually(async () => (messages = await ledger()) !== undefined, 60_000, "the ledger read", 1000);
    messages = messages!;
    const replies = messages.filter((m) => m.sender.type === "bot" && typeof m.attributes.replyTo === "string");
    expect(new Set(replies.map((r) => r.attributes.replyTo)).size).toBe(replies.length); // none answered twice
    const deliveries = receiver.requests.map((r) => r.headers["x-bankdesk-delivery"]);
    console.info(
      `embedded crash: ${CRASHES} × kill -9 mid-chat, ${sent.length} customer messages stored once and answered once, ` +
        `${messages.length} messages delivered to the webhook (${deliveries.length - new Set(deliveries).size} re-deliveries), ` +
        `settled ${elapsed} ms after the last restart`,
    );
  }, 300_000);
});
