import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { connectWidget, emitAck, nextEvent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { postMessage } from "../../server/commands/postMessage.ts";

let app: TestApp;
beforeAll(async () => {
  // The bot is not under test here: conversations go straight to the humans.
  app = await startTestApp();
  await app.db.query(`UPDATE inboxes SET settings = settings || '{"botEnabled": false}'::jsonb`);
});
afterAll(() => app?.close());

type Ack = {
  ok: boolean;
  message?: { id: string; seq: number; conversationId: string; content: string };
  duplicate?: boolean;
  error?: { code: string; message: string };
};

describe("widget socket", () => {
  it("acknowledges a message only once it is stored", async () => {
    const { socket } = await connectWidget(app);
    const ack = await emitAck<Ack>(socket, "message:send", { clientId: "c-1", content: "Hello, is anyone there?" });
    expect(ack.ok).toBe(true);
    // At acknowledgement time the row is already committed.
    const { rows } = await app.db.query<{ content: string; seq: number }>("SELECT content, seq FROM messages WHERE id = $1", [
      ack.message!.id,
    ]);
    expect(rows).toEqual([{ content: "Hello, is anyone there?", seq: ack.message!.seq }]);
    socket.disconnect();
  });

  it("stores a re-sent client id once and acknowledges it as a duplicate", async () => {
    const { socket } = await connectWidget(app);
    const first = await emitAck<Ack>(socket, "message:send", { clientId: "same-id", content: "first" });
    const again = await emitAck<Ack>(socket, "message:send", {
      conversationId: first.message!.conversationId,
      clientId: "same-id",
      content: "first",
    });
    expect(again).toMatchObject({ ok: true, duplicate: true, message: { id: first.message!.id } });
    const { rows } = await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND client_id = 'same-id'", [
      first.message!.conversationId,
    ]);
    expect(rows).toHaveLength(1);
    socket.disconnect();
  });

  it("stores a re-sent first message (no conversation id yet) once, in one conversation", async () => {
    const { socket, session } = await connectWidget(app);
    const contactId = (session.contact as { id: string }).id;
    // The acknowledgement of the first send was lost: the widget sends the same line again, twice at once.
    const [a, b] = await Promise.all([
      emitAck<Ack>(socket, "message:send", { clientId: "first-line", content: "Hello?" }),
      emitAck<Ack>(socket, "message:send", { clientId: "first-line", content: "Hello?" }),
    ]);
    const again = await emitAck<Ack>(socket, "message:send", { clientId: "first-line", content: "Hello?" });
    expect([a, b, again].every((x) => x.ok)).toBe(true);
    expect(new Set([a, b, again].map((x) => x.message!.id)).size).toBe(1);
    expect(again.duplicate).toBe(true);
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE contact_id = $1", [contactId]);
    expect(rows[0]!.n).toBe(1);
    socket.disconnect();
  });

  it("after a reconnect, sync returns exactly the messages missed", async () => {
    const { socket, token } = await connectWidget(app);
    const first = await emitAck<Ack>(socket, "message:send", { clientId: "r-1", content: "before the tunnel" });
    const conversationId = first.message!.conversationId;
    const lastSeen = first.message!.seq;
    socket.disconnect();
    // While the customer is offline, three agent replies arrive.
    for (const n of [1, 2, 3]) {
      await postMessage(app.ctx, { conversationId, messageType: "outgoing", senderType: "agent", content: `reply ${n}` });
    }
    await postMessage(app.ctx, { conversationId, messageType: "outgoing", senderType: "agent", content: "internal", private: true });
    const again = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], forceNew: true });
    await new Promise<void>((r) => again.once("connect", () => r()));
    const sync = await emitAck<{ ok: boolean; messages: Array<{ seq: number; content: string }> }>(again, "messages:sync", {
      conversationId,
      afterSeq: lastSeen,
    });
    expect(sync.messages.map((m) => m.content)).toEqual(["reply 1", "reply 2", "reply 3"]);
    const seqs = sync.messages.map((m) => m.seq);
    expect(seqs).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    again.disconnect();
  });

  it("keeps customers apart: no reading, writing or hearing another's conversation", async () => {
    const alice = await connectWidget(app, { name: "Alice" });
    const bob = await connectWidget(app, { name: "Bob" });
    const a = await emitAck<Ack>(alice.socket, "message:send", { clientId: "a-1", content: "Alice's secret" });
    const heard: unknown[] = [];
    bob.socket.on("message", (m) => heard.push(m));
    const read = await emitAck<Ack>(bob.socket, "messages:sync", { conversationId: a.message!.conversationId, afterSeq: 0 });
    expect(read).toMatchObject({ ok: false, error: { code: "not_found" } });
    const write = await emitAck<Ack>(bob.socket, "message:send", {
      conversationId: a.message!.conversationId,
      clientId: "b-1",
      content: "intrusion",
    });
    expect(write).toMatchObject({ ok: false, error: { code: "not_found" } });
    await postMessage(app.ctx, {
      conversationId: a.message!.conversationId,
      messageType: "outgoing",
      senderType: "agent",
      content: "for Alice only",
    });
    await nextEvent<{ content: string }>(alice.socket, "message", (m) => m.content === "for Alice only");
    expect(heard).toEqual([]);
    alice.socket.disconnect();
    bob.socket.disconnect();
  });

  it("never sends private notes to the customer", async () => {
    const { socket } = await connectWidget(app);
    const first = await emitAck<Ack>(socket, "message:send", { clientId: "p-1", content: "question" });
    const got: Array<{ content: string }> = [];
    socket.on("message", (m) => got.push(m));
    await postMessage(app.ctx, {
      conversationId: first.message!.conversationId,
      messageType: "outgoing",
      senderType: "agent",
      content: "note: check KYC",
      private: true,
    });
    await postMessage(app.ctx, {
      conversationId: first.message!.conversationId,
      messageType: "outgoing",
      senderType: "agent",
      content: "public reply",
    });
    await nextEvent<{ content: string }>(socket, "message", (m) => m.content === "public reply");
    expect(got.map((m) => m.content)).not.toContain("note: check KYC");
    socket.disconnect();
  });

  it("answers bad payloads with a clear error and keeps the connection", async () => {
    const { socket } = await connectWidget(app);
    const bad = await emitAck<Ack>(socket, "message:send", { clientId: 42, content: null });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation_error" } });
    const long = await emitAck<Ack>(socket, "message:send", { clientId: "long", content: "x".repeat(5000) });
    expect(long).toMatchObject({ ok: false, error: { code: "validation_error" } });
    expect(long.error!.message).toMatch(/at most 4000/);
    const notUuid = await emitAck<Ack>(socket, "messages:sync", { conversationId: "../../etc", afterSeq: 0 });
    expect(notUuid.ok).toBe(false);
    // Still connected and working.
    const good = await emitAck<Ack>(socket, "message:send", { clientId: "after-bad", content: "still here" });
    expect(good.ok).toBe(true);
    socket.disconnect();
  });

  it("drops a connection that sends more than the payload limit, without affecting others", async () => {
    const other = await connectWidget(app);
    const { socket } = await connectWidget(app);
    const closed = new Promise((r) => socket.once("disconnect", r));
    socket.emit("message:send", { clientId: "huge", content: "y".repeat(200_000) });
    await closed;
    const ok = await emitAck<Ack>(other.socket, "message:send", { clientId: "fine", content: "unaffected" });
    expect(ok.ok).toBe(true);
    other.socket.disconnect();
  });

  it("refuses a socket without a valid session token", async () => {
    const s = connect(`${app.url}/widget`, { auth: { token: "forged" }, transports: ["websocket"], reconnection: false, forceNew: true });
    const err = await new Promise<Error>((r) => s.once("connect_error", r));
    expect(err.message).toBe("unauthenticated");
    s.disconnect();
  });
});

describe("widget socket limits", () => {
  it("limits every event per customer before any work, and how many sockets one customer holds", async () => {
    const { socket, token, session } = await connectWidget(app);
    const contactId = (session.contact as { id: string }).id;
    // conversation:create: five a minute; the sixth is refused and creates nothing.
    const creates = [];
    for (let i = 0; i < 6; i++) creates.push(await emitAck<Ack>(socket, "conversation:create", {}));
    expect(creates.slice(0, 5).every((a) => a.ok)).toBe(true);
    expect(creates[5]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE contact_id = $1", [contactId]);
    expect(rows[0]!.n).toBe(5);
    // typing: thirty in ten seconds, then refused (it had no limit).
    const typing = await Promise.all(
      Array.from({ length: 35 }, () =>
        emitAck<Ack>(socket, "typing", { conversationId: "00000000-0000-0000-0000-000000000000", typing: true }),
      ),
    );
    expect(typing.filter((a) => a.error?.code === "rate_limited").length).toBe(5);
    // Sockets: ten per customer on a node; the eleventh is refused.
    const more = [];
    for (let i = 0; i < 9; i++) {
      const s = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)));
      more.push(s);
    }
    const eleventh = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    const err = await new Promise<Error>((resolve) => eleventh.once("connect_error", resolve));
    expect(err.message).toBe("too_many_connections");
    eleventh.close();
    for (const s of more) s.disconnect();
    socket.disconnect();
  });
});
