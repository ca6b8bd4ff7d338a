/**
 * Fuzzing the Socket.IO events against the real server. The widget's
 * `message:send` (and its other events) and the console's events get malformed,
 * oversized and hostile payloads, wrong types and unknown event names.
 * Properties: every acknowledged event answers `{ok:true,...}` or
 * `{ok:false,error:{code,message}}` (never an exception or a dropped connection),
 * a refused message stores nothing (no message, no empty conversation), an
 * accepted one is stored exactly as sent, and the server keeps serving /healthz.
 */
import fc from "fast-check";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWidget, emitAck, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { MAX_SOCKET_PAYLOAD } from "../../server/services/realtime/createRealtime.ts";
import { expectHealthy, fcOptions, hostileString, hostileValue, mangled, rowCounts } from "./fuzzKit.ts";

let app: TestApp;
let conversationId = "";
const MAX_MESSAGE = 4000;

type Ack = { ok: boolean; error?: { code: string; message: string }; message?: { id: string; content: string; conversationId: string } };

beforeAll(async () => {
  app = await startTestApp({ env: { MAX_MESSAGE_LENGTH: String(MAX_MESSAGE) } });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "fuzz-agent@example.com",
    name: "Fuzz Agent",
    role: "agent",
    password: "correct-horse-battery",
  });
  const w = await connectWidget(app);
  const ack = await emitAck<Ack>(w.socket, "message:send", { clientId: "seed", content: "hello" });
  conversationId = ack.message!.conversationId;
  w.socket.close();
  // The inbox asks for a recommendation score, so that fuzzed nps events reach the ownership check.
  await app.db.query(`UPDATE inboxes SET settings = settings || '{"npsEnabled": true}'::jsonb`);
});
afterAll(() => app?.close());

const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

function expectAckShape(ack: Ack, what: string) {
  expect(typeof ack, what).toBe("object");
  if (ack.ok) return;
  expect(ack.ok, what).toBe(false);
  expect(typeof ack.error?.code, `${what}: error.code`).toBe("string");
  expect(typeof ack.error?.message, `${what}: error.message`).toBe("string");
  expect(ack.error!.code, `${what}: a server error`).not.toBe("internal_error");
}

/**
 * A customer's socket, replaced by a fresh customer every few messages: the widget
 * allows 20 messages per 10 s per customer, and the fuzzer should reach the
 * handler, not the rate limiter.
 */
class Customers {
  socket!: Socket;
  private sent = 0;
  async next(): Promise<Socket> {
    if (!this.socket || this.sent++ % 12 === 0 || !this.socket.connected) {
      this.socket?.close();
      this.socket = (await connectWidget(app)).socket;
    }
    return this.socket;
  }
  close() {
    this.socket?.close();
  }
}

describe("fuzz: widget socket", () => {
  it("message:send with hostile payloads: acknowledged either way, nothing stored when refused", async () => {
    const customers = new Customers();
    const content = fc.oneof(
      hostileString,
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.constantFrom(
        "x".repeat(MAX_MESSAGE),
        "x".repeat(MAX_MESSAGE + 1),
        "零".repeat(MAX_MESSAGE + 1),
        "   ",
        "\n\t",
        "a\u0000b",
        "hi\uD800",
      ),
    );
    const payload = fc.oneof(
      {
        weight: 3,
        arbitrary: mangled({
          clientId: fc.oneof(fc.uuid(), hostileString),
          content,
          conversationId: fc.oneof(fc.uuid(), hostileString),
          attachmentIds: fc.array(fc.oneof(fc.uuid(), hostileString), { maxLength: 12 }),
        }),
      },
      // Well-formed but hostile: these reach postMessage.
      { weight: 3, arbitrary: fc.record({ clientId: fc.uuid(), content }) },
      { weight: 1, arbitrary: hostileValue },
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const socket = await customers.next();
        const before = await rowCounts(app.db);
        const ack = await emitAck<Ack>(socket, "message:send", p);
        const what = `message:send ${JSON.stringify(p)?.slice(0, 160)}`;
        expectAckShape(ack, what);
        const after = await rowCounts(app.db);
        if (!ack.ok) {
          expect(after, what).toEqual(before);
          return;
        }
        // Accepted: stored once, exactly as sent, and not empty.
        const sent = p as { content: string; clientId: string };
        const { rows } = await app.db.query<{ content: string }>("SELECT content FROM messages WHERE id = $1", [ack.message!.id]);
        // (A lone surrogate cannot cross the WebSocket as UTF-8: it arrives as U+FFFD.)
        expect(rows[0]?.content, what).toBe(wellFormed(sent.content));
        expect(sent.content.trim().length, what).toBeGreaterThan(0);
        expect(after.messages - before.messages, what).toBeLessThanOrEqual(1);
      }),
      {
        ...fcOptions(120),
        examples: [
          [{ clientId: "nul-1", content: "a\u0000b" }],
          [{ clientId: "empty-1", content: "" }],
          [{ clientId: "ws-1", content: "   " }],
        ],
      },
    );
    customers.close();
    await expectHealthy(app.url);
  });

  it("other widget events with wrong types, and unknown events: acknowledged, the socket survives", async () => {
    const customers = new Customers();
    const event = fc.constantFrom(
      "conversation:create",
      "messages:sync",
      "conversation:follow_up",
      "conversation:transcript",
      "typing",
      "csat",
      "nps",
      "message:feedback",
      "stepup:verify",
      "stepup:resend",
    );
    const payload = fc.oneof(
      mangled({
        conversationId: fc.oneof(fc.constant(conversationId), fc.uuid(), hostileString),
        afterSeq: fc.oneof(fc.integer(), fc.double(), hostileString),
        clientId: hostileString,
        email: fc.oneof(fc.emailAddress(), hostileString),
        typing: hostileValue,
        rating: fc.oneof(fc.integer({ min: -10, max: 10 }), fc.double(), fc.constantFrom("helpful", "not_helpful"), hostileString),
        messageId: fc.oneof(fc.uuid(), hostileString),
        comment: hostileString,
        score: fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double(), hostileString),
        challengeId: fc.oneof(fc.uuid(), hostileString),
        code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.integer(), hostileString),
      }),
      hostileValue,
    );
    await fc.assert(
      fc.asyncProperty(event, payload, async (e, p) => {
        const socket = await customers.next();
        const before = await rowCounts(app.db);
        const ack = await emitAck<Ack>(socket, e, p);
        expectAckShape(ack, `${e} ${JSON.stringify(p)?.slice(0, 160)}`);
        if (e !== "conversation:create" && !ack.ok) expect(await rowCounts(app.db)).toEqual(before);
      }),
      fcOptions(80),
    );
    // Nobody rated an answer, or scored a conversation, that is not theirs.
    expect((await app.db.query("SELECT 1 FROM answer_feedback")).rowCount).toBe(0);
    expect((await app.db.query("SELECT 1 FROM nps_responses")).rowCount).toBe(0);

    // Unknown events, several arguments, binary: ignored; the same socket still works afterwards.
    const socket = await customers.next();
    await fc.assert(
      fc.asyncProperty(hostileString, fc.array(hostileValue, { maxLength: 3 }), async (name, args) => {
        if (["connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener"].includes(name)) return;
        socket.emit(name, ...args);
        socket.emit("message:send", Buffer.from([0, 1, 2]), 42, "extra");
      }),
      fcOptions(40),
    );
    const ack = await emitAck<Ack>(socket, "messages:sync", { conversationId: "00000000-0000-4000-8000-000000000000", afterSeq: 0 });
    expect(ack.ok).toBe(false);
    expect(ack.error!.code).toBe("not_found");
    expect(socket.connected).toBe(true);
    customers.close();
    await expectHealthy(app.url);
  });

  it("a payload over the socket limit closes that connection only; the server carries on", async () => {
    const { socket } = await connectWidget(app);
    const before = await rowCounts(app.db);
    const closed = new Promise<string>((r) => socket.once("disconnect", (reason) => r(reason)));
    socket.emit("message:send", { clientId: "huge", content: "x".repeat(MAX_SOCKET_PAYLOAD + 10) }, () => {});
    expect(await closed).toBeTruthy();
    expect(await rowCounts(app.db)).toEqual(before);
    const again = await connectWidget(app);
    const ack = await emitAck<Ack>(again.socket, "message:send", { clientId: "after-huge", content: "still there?" });
    expect(ack.ok).toBe(true);
    again.socket.close();
    await expectHealthy(app.url);
  });

  it("a handshake with a hostile token is refused without crashing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, hostileString), async (token) => {
        const socket = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
        const err = await new Promise<Error | null>((resolve) => {
          socket.once("connect", () => resolve(null));
          socket.once("connect_error", resolve);
        });
        socket.close();
        expect(err?.message).toMatch(/unauthenticated|session_revoked/);
      }),
      fcOptions(30),
    );
    await expectHealthy(app.url);
  });
});

describe("fuzz: agent socket", () => {
  it("presence and typing with wrong types, unknown events: acknowledged, no crash", async () => {
    const { cookie } = await signInAgent(app, "fuzz-agent@example.com", "correct-horse-battery");
    const socket = connect(`${app.url}/agent`, {
      extraHeaders: { cookie },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const event = fc.constantFrom("presence", "typing", "message:send", "conversation:create", "nope");
    const payload = fc.oneof(
      mangled({
        availability: fc.constantFrom("online", "away", "offline", "busy"),
        conversationId: fc.oneof(fc.constant(conversationId), hostileString),
        typing: hostileValue,
      }),
      hostileValue,
    );
    await fc.assert(
      fc.asyncProperty(event, payload, async (e, p) => {
        if (["message:send", "conversation:create", "nope"].includes(e)) {
          // Not agent events: no handler answers, nothing happens.
          socket.emit(e, p);
          return;
        }
        expectAckShape(await emitAck<Ack>(socket, e, p), `${e} ${JSON.stringify(p)?.slice(0, 160)}`);
      }),
      fcOptions(80),
    );
    expect(socket.connected).toBe(true);
    socket.close();

    // Hostile cookies on the handshake.
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme-ascii", maxLength: 60 }), async (c) => {
        const s = connect(`${app.url}/agent`, {
          extraHeaders: { cookie: `bd_session=${c}` },
          transports: ["websocket"],
          reconnection: false,
          forceNew: true,
        });
        const err = await new Promise<Error | null>((resolve) => {
          s.once("connect", () => resolve(null));
          s.once("connect_error", resolve);
        });
        s.close();
        expect(err?.message).toBe("unauthenticated");
      }),
      fcOptions(20),
    );
    await expectHealthy(app.url);
  });
});
