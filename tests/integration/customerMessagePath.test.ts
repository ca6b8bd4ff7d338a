import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { connectWidget, emitAck, nextEvent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import type { AppContext } from "../../server/context.ts";
import { sqlText, type Database, type Statement } from "../../server/db/Database.ts";
import { hashToken } from "../../server/auth/identity.ts";
import { isSessionRevoked } from "../../server/commands/startWidgetSession.ts";
import { receiveWidgetMessage } from "../../server/commands/receiveCustomerMessage.ts";
import { customerMessageFiles } from "../../server/attachments/commands/claimAttachments.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

type Ack = { ok: boolean; message?: { id: string; conversationId: string }; duplicate?: boolean; error?: { code: string } };

/**
 * A customer's message is acknowledged once stored, and its events (the fan-out to
 * sockets, the assistant's job) follow the acknowledgement instead of delaying it
 * (commands/receiveCustomerMessage.ts).
 */
describe("a customer's message from the widget", () => {
  it("is acknowledged to the socket that sent it, its live event goes to the customer's other sockets, and it is announced once", async () => {
    const { socket, token } = await connectWidget(app);
    // The same customer in a second tab: same session, another socket.
    const otherTab = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      otherTab.once("connect", () => resolve());
      otherTab.once("connect_error", reject);
    });
    const seen: string[] = [];
    let announced = 0;
    const off = app.ctx.bus.on("message.created", ({ message }) => void (message.sender_type === "contact" && announced++));
    const fromCustomer = (m: { sender: { type: string } }) => m.sender.type === "contact";
    socket.on("message", (m: { id: string; sender: { type: string } }) => fromCustomer(m) && seen.push(`event ${m.id}`));
    otherTab.on("message", (m: { id: string; sender: { type: string } }) => fromCustomer(m) && seen.push(`other tab ${m.id}`));
    // The acknowledgement's callback runs as its packet is read, in the order the packets came.
    const acked = new Promise<Ack>((resolve) =>
      socket.emit("message:send", { clientId: "order-1", content: "How do I freeze my card?" }, (ack: Ack) => {
        seen.push(`ack ${ack.message?.id}`);
        resolve(ack);
      }),
    );
    // The assistant still answers it (its job is queued by a listener, after the ack), on both sockets.
    const fromBot = (m: { sender: { type: string } }) => m.sender.type === "bot";
    const answers = Promise.all([nextEvent(socket, "message", fromBot), nextEvent(otherTab, "message", fromBot)]);
    const ack = await acked;
    expect(ack.ok).toBe(true);
    const id = ack.message!.id;
    const [answer, otherTabsAnswer] = await answers;
    expect([answer, otherTabsAnswer]).toMatchObject([{ attributes: { replyTo: id } }, { attributes: { replyTo: id } }]);
    // The socket that sent it had the message in its acknowledgement, and no event of it again: the
    // bot's answer follows the question's fan-out on the same connection, so it would have come first.
    expect([...seen].sort()).toEqual([`ack ${id}`, `other tab ${id}`]);
    // A re-send is acknowledged as a duplicate and announced no more.
    const again = await emitAck<Ack>(socket, "message:send", {
      conversationId: ack.message!.conversationId,
      clientId: "order-1",
      content: "How do I freeze my card?",
    });
    expect(again).toMatchObject({ ok: true, duplicate: true, message: { id } });
    expect(announced).toBe(1);
    off();
    socket.disconnect();
    otherTab.disconnect();
  });

  it("refuses a first message with neither text nor a file before opening a conversation", async () => {
    const { socket, session } = await connectWidget(app);
    const ack = await emitAck<Ack>(socket, "message:send", { clientId: "empty-1", content: "   " });
    expect(ack).toMatchObject({ ok: false, error: { code: "validation_error" } });
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE contact_id = $1", [
      (session.contact as { id: string }).id,
    ]);
    expect(rows[0]!.n).toBe(0);
    socket.disconnect();
  });
});

/** The app's context with its database seen through `intercept`, which may record or refuse a statement. */
function withDatabase(ctx: AppContext, intercept: (sql: string) => void): AppContext {
  const db = new Proxy(ctx.db, {
    get(target, prop) {
      if (prop === "query")
        return (sql: string | Statement, params?: unknown[]) => {
          intercept(sqlText(sql));
          return target.query(sql, params);
        };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Database;
  return { ...ctx, db };
}

/** A widget customer as receiveWidgetMessage is handed it by the socket. */
async function widgetCustomer() {
  const { socket, token } = await connectWidget(app);
  socket.disconnect();
  const tokenHash = hashToken(token);
  const { rows } = await app.db.query<{ contact_id: string; inbox_id: string }>(
    "SELECT contact_id, inbox_id FROM widget_sessions WHERE token_hash = $1",
    [tokenHash],
  );
  const { contact_id: contactId, inbox_id: inboxId } = rows[0]!;
  return {
    contactId,
    send: (ctx: AppContext, props: { conversationId?: string; clientId: string; content: string }) =>
      receiveWidgetMessage(ctx, {
        session: { tokenHash, contactId, inboxId, verified: false },
        files: customerMessageFiles(ctx, contactId),
        ...props,
      }),
    revoke: () => app.db.query("UPDATE widget_sessions SET revoked_at = now() WHERE token_hash = $1", [tokenHash]),
  };
}

describe("receiveWidgetMessage", () => {
  it("stores a text message into the customer's conversation in one database round trip, its session and ownership still checked", async () => {
    const alice = await widgetCustomer();
    const first = await alice.send(app.ctx, { clientId: "rt-1", content: "What is my card limit?" });
    const statements: string[] = [];
    const counted = withDatabase(app.ctx, (sql) => statements.push(sql));
    const second = await alice.send(counted, { conversationId: first.conversation.id, clientId: "rt-2", content: "And abroad?" });
    expect(second).toMatchObject({ duplicate: false, message: { seq: first.message.seq + 1, content: "And abroad?" } });
    // Before the acknowledgement: the insert alone (its events and their queries follow it).
    expect(statements).toHaveLength(1);

    // A re-send is found, and stored once.
    const again = await alice.send(app.ctx, { conversationId: first.conversation.id, clientId: "rt-2", content: "And abroad?" });
    expect(again).toMatchObject({ duplicate: true, message: { id: second.message.id } });
    // Another customer cannot write into it, not even with a client id stored there.
    const bob = await widgetCustomer();
    for (const clientId of ["rt-intrusion", "rt-2"]) {
      await expect(bob.send(app.ctx, { conversationId: first.conversation.id, clientId, content: "intrusion" })).rejects.toMatchObject({
        code: "not_found",
      });
    }
    // A revoked session writes nothing more.
    await alice.revoke();
    const refused = await alice
      .send(app.ctx, { conversationId: first.conversation.id, clientId: "rt-3", content: "Still there?" })
      .catch((e) => e);
    expect(isSessionRevoked(refused)).toBe(true);
    const { rows } = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND sender_type = 'contact'",
      [first.conversation.id],
    );
    expect(rows[0]!.n).toBe(2);
  });

  it("opens the conversation of a first message in three round trips: the session, the conversation with its inbox read by the insert, the message", async () => {
    const erin = await widgetCustomer();
    const statements: string[] = [];
    const counted = withDatabase(app.ctx, (sql) => statements.push(sql));
    const first = await erin.send(counted, { clientId: "open-rt-1", content: "Can I open an account online?" });
    expect(first).toMatchObject({ duplicate: false, conversation: { status: "pending", contact_id: erin.contactId } });
    expect(statements).toHaveLength(3);
    // On an inbox without the bot the conversation is the agents' at once, waiting since it opened.
    const { rows } = await app.db.query<{ settings: unknown }>("SELECT settings FROM inboxes WHERE slug = 'website'");
    await app.db.query(`UPDATE inboxes SET settings = settings || '{"botEnabled": false}'::jsonb WHERE slug = 'website'`);
    try {
      const frank = await widgetCustomer();
      const opened = await frank.send(app.ctx, { clientId: "open-rt-2", content: "Hello?" });
      expect(opened.conversation.status).toBe("open");
      expect(opened.conversation.waiting_since).not.toBeNull();
    } finally {
      await app.db.query("UPDATE inboxes SET settings = $1 WHERE slug = 'website'", [JSON.stringify(rows[0]!.settings)]);
    }
  });

  it("announces the conversation a first message opens after the message is acknowledged, just before the message's own event", async () => {
    const carol = await widgetCustomer();
    const heard: string[] = [];
    const offs = [
      app.ctx.bus.on(
        "conversation.created",
        ({ conversation }) => void (conversation.contact_id === carol.contactId && heard.push("conversation.created")),
      ),
      app.ctx.bus.on(
        "message.created",
        ({ conversation }) => void (conversation.contact_id === carol.contactId && heard.push("message.created")),
      ),
    ];
    try {
      await carol.send(app.ctx, { clientId: "open-1", content: "Hello, I lost my card" });
      // The socket acknowledges now: nothing has been announced yet.
      expect(heard).toEqual([]);
      await new Promise((r) => setImmediate(r));
      expect(heard).toEqual(["conversation.created", "message.created"]);
    } finally {
      for (const off of offs) off();
    }
  });

  it("announces the conversation a first message opened even when the message could not be stored", async () => {
    const dave = await widgetCustomer();
    const created: string[] = [];
    const off = app.ctx.bus.on(
      "conversation.created",
      ({ conversation }) => void (conversation.contact_id === dave.contactId && created.push(conversation.id)),
    );
    // The database connection drops as the message is inserted, after its conversation was opened.
    const dropping = withDatabase(app.ctx, (sql) => {
      if (sql.includes("INSERT INTO messages")) throw new Error("Connection terminated unexpectedly");
    });
    try {
      await expect(dave.send(dropping, { clientId: "drop-1", content: "Is anyone there?" })).rejects.toThrow("Connection terminated");
      expect(created).toHaveLength(1);
      // The widget re-sends it: the same conversation, the message stored, announced once more as a message only.
      const resent = await dave.send(app.ctx, { clientId: "drop-1", content: "Is anyone there?" });
      expect(resent.conversation.id).toBe(created[0]);
      await new Promise((r) => setImmediate(r));
      expect(created).toHaveLength(1);
    } finally {
      off();
    }
  });
});
