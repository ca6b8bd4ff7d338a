import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectWidget,
  emitAck,
  nextEvent,
  startTestApp,
  type TestApp,
  connectVerifiedCustomer,
  pageIdentityOnly,
} from "../helpers/testApp.ts";
import { REPLY_JOB, replyToMessage, requeueUnanswered } from "../../server/assistant/assistantModule.ts";
import { sqlText, type Database, type Queryable, type Statement, type Transaction } from "../../server/db/Database.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await pageIdentityOnly(app);
});
afterAll(() => app?.close());

type Msg = {
  id: string;
  conversationId: string;
  seq: number;
  content: string;
  sender: { type: string };
  attributes: Record<string, unknown>;
};
type Ack = { ok: boolean; message?: Msg; error?: { code: string } };

async function ask(socket: Awaited<ReturnType<typeof connectWidget>>["socket"], content: string, conversationId?: string) {
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<Ack>(socket, "message:send", { conversationId, clientId: crypto.randomUUID(), content });
  expect(ack.ok).toBe(true);
  return { ack: ack.message!, reply: await botReply };
}

describe("the assistant in a conversation (offline)", () => {
  it("answers, once, a question whose reply job was lost (queued into a Redis that was down, by a process that died)", async () => {
    const { socket } = await connectWidget(app);
    // The enqueue is lost: the message is stored and acknowledged, and no job exists.
    const enqueue = app.ctx.queue.enqueue.bind(app.ctx.queue);
    app.ctx.queue.enqueue = async (name, data, options) => {
      if (name !== REPLY_JOB) await enqueue(name, data, options);
    };
    let ack: Ack;
    try {
      ack = await emitAck<Ack>(socket, "message:send", { clientId: crypto.randomUUID(), content: "How do I freeze my card?" });
      expect(ack.ok).toBe(true);
      await app.ctx.queue.drain();
    } finally {
      app.ctx.queue.enqueue = enqueue;
    }
    const conversationId = ack.message!.conversationId;
    const botMessages = async () =>
      (await app.db.query("SELECT id FROM messages WHERE conversation_id = $1 AND sender_type = 'bot'", [conversationId])).rowCount;
    expect(await botMessages()).toBe(0);
    // Not yet taken for lost: a reply normally takes well under a second.
    await requeueUnanswered(app.ctx);
    await app.ctx.queue.drain();
    expect(await botMessages()).toBe(0);

    const reply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
    expect(await requeueUnanswered(app.ctx, { olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
    expect((await reply).content).toMatch(/Freeze/);
    await app.ctx.queue.drain();
    // Answered now: the next sweep leaves it alone, and a second run of the job would store nothing.
    await requeueUnanswered(app.ctx, { olderThanMs: 0 });
    await app.ctx.queue.drain();
    expect(await botMessages()).toBe(1);
    socket.disconnect();
  });

  it("answers a lost question although the customer wrote again and that was answered (the sweep sees every message)", async () => {
    const { socket } = await connectWidget(app);
    const enqueue = app.ctx.queue.enqueue.bind(app.ctx.queue);
    app.ctx.queue.enqueue = async (name, data, options) => {
      if (name !== REPLY_JOB) await enqueue(name, data, options);
    };
    let first: Ack;
    try {
      first = await emitAck<Ack>(socket, "message:send", { clientId: crypto.randomUUID(), content: "How do I freeze my card?" });
      await app.ctx.queue.drain();
    } finally {
      app.ctx.queue.enqueue = enqueue;
    }
    // The customer writes again; that one is answered, the first is still owed.
    await ask(socket, "what's the fee for using an ATM abroad?", first!.message!.conversationId);
    await app.ctx.queue.drain();
    const owed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && m.attributes.replyTo === first.message!.id);
    expect(await requeueUnanswered(app.ctx, { olderThanMs: 0 })).toBe(1);
    expect((await owed).content).toMatch(/Freeze/);
    await app.ctx.queue.drain();
    expect(await requeueUnanswered(app.ctx, { olderThanMs: 0 })).toBe(0);
    socket.disconnect();
  });

  it("answers again a question whose stored reply a database crash lost (its job had completed)", async () => {
    const { socket } = await connectWidget(app);
    const { ack, reply } = await ask(socket, "How do I freeze my card?");
    await app.ctx.queue.drain();
    // The reply is committed without waiting for the WAL flush (Database.replayable): a crash
    // just after can lose it although its job has completed.
    await app.db.query("DELETE FROM messages WHERE id = $1", [reply.id]);
    const again = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
    expect(await requeueUnanswered(app.ctx, { olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
    expect((await again).content).toMatch(/Freeze/);
    await app.ctx.queue.drain();
    const { rows } = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND sender_type = 'bot'",
      [ack.conversationId],
    );
    expect(rows[0]!.n).toBe(1);
    socket.disconnect();
  });

  it("answers a product question from the knowledge base with a citation", async () => {
    const { socket } = await connectWidget(app);
    const { reply } = await ask(socket, "I lost my card, how do I freeze it?");
    expect(reply.content).toMatch(/Freeze/);
    // The guide's steps, then what signing in adds: the bot can freeze it here (not "look at your accounts").
    expect(reply.content).not.toMatch(/only look at your accounts/);
    expect(reply.content).toMatch(/I can also do this for you here/);
    expect(reply.attributes.citations).toEqual([expect.objectContaining({ path: "cards/lost-card.md", title: "Lost or stolen card" })]);
    // The trace stays with the message for agents, never for the customer.
    expect(reply.attributes.trace).toBeUndefined();
    const stored = await app.db.query<{ content_attributes: { trace: Array<{ step: string }> } }>(
      "SELECT content_attributes FROM messages WHERE id = $1",
      [reply.id],
    );
    expect(stored.rows[0]!.content_attributes.trace.map((t) => t.step)).toEqual(
      expect.arrayContaining(["language", "redact", "sentiment", "intent", "handoff", "retrieve", "answer"]),
    );
    socket.disconnect();
  });

  it("declines rather than guesses when the knowledge base has no answer", async () => {
    const { socket } = await connectWidget(app);
    const { reply } = await ask(socket, "What is the SWIFT code of your Tokyo branch?");
    expect(reply.content).toMatch(/not sure/);
    expect(reply.attributes.citations).toEqual([]);
    socket.disconnect();
  });

  it("hands off on request, with a private summary, and then stays silent", async () => {
    const { socket } = await connectWidget(app);
    const handoff = nextEvent(socket, "handoff");
    const { ack, reply } = await ask(socket, "我要转人工");
    await handoff;
    expect(reply.attributes).toMatchObject({ kind: "handoff", reason: "explicit_request" });
    const c = await app.db.query<{ status: string; handoff_reason: string }>(
      "SELECT status, handoff_reason FROM conversations WHERE id = $1",
      [ack.conversationId],
    );
    expect(c.rows[0]).toEqual({ status: "open", handoff_reason: "explicit_request" });
    const note = await app.db.query<{ content: string; private: boolean }>(
      "SELECT content, private FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'handoff_note'",
      [ack.conversationId],
    );
    expect(note.rows[0]!.private).toBe(true);
    expect(note.rows[0]!.content).toContain("explicit_request");
    // The humans own it now: the bot does not answer the next message.
    await emitAck<Ack>(socket, "message:send", { conversationId: ack.conversationId, clientId: "after-handoff", content: "hello?" });
    await app.ctx.queue.drain();
    const bots = await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_type = 'bot' AND private = false", [
      ack.conversationId,
    ]);
    expect(bots.rowCount).toBe(1);
    socket.disconnect();
  });

  it("hands off a fraud report as a sensitive topic to the care team", async () => {
    const { socket } = await connectWidget(app);
    const { ack, reply } = await ask(socket, "Someone took money from my account without my permission!");
    expect(reply.attributes).toMatchObject({ kind: "handoff", reason: "sensitive_topic" });
    const c = await app.db.query<{ slug: string; priority: string }>(
      "SELECT t.slug, c.priority FROM conversations c JOIN teams t ON t.id = c.team_id WHERE c.id = $1",
      [ack.conversationId],
    );
    expect(c.rows[0]).toEqual({ slug: "care", priority: "high" });
    socket.disconnect();
  });

  it("hands an upset customer's question to a person with the guide's answer first, cited", async () => {
    const { socket } = await connectWidget(app);
    const { reply } = await ask(socket, "This is a nightmare, my card was stolen and I'm panicking. How do I freeze it?");
    expect(reply.attributes).toMatchObject({ kind: "handoff" });
    expect(reply.content).toContain("tap Freeze");
    // Sympathy, the answer, then what happens next (a colleague joins, or when the team is back).
    const [sympathy, , next] = reply.content.split("\n\n");
    expect(sympathy).toBe("I'm sorry you're going through this.");
    expect(next).toMatch(/colleague|team/);
    expect((reply.attributes.citations as Array<{ path: string }>).map((c) => c.path)).toContain("cards/lost-card.md");
    socket.disconnect();
  });

  it("keeps account tools for verified customers: an anonymous visitor is asked to sign in", async () => {
    const { socket } = await connectWidget(app);
    const { reply } = await ask(socket, "what's my account balance");
    expect(reply.content).toMatch(/sign in/i);
    expect(reply.content).not.toMatch(/¥/);
    socket.disconnect();
  });

  it("tells a verified customer their balance, and freezes a card only after a yes (audited)", async () => {
    const { socket } = await connectVerifiedCustomer(app, "C-1002");
    const balance = await ask(socket, "what's my balance?");
    expect(balance.reply.content).toContain("¥4,120.50");
    const conversationId = balance.ack.conversationId;
    const confirm = await ask(socket, "please freeze my debit card", conversationId);
    expect(confirm.reply.content).toMatch(/freeze your card ending \d{4}\?/);
    const before = await app.db.query("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1002' AND status = 'frozen'");
    expect(before.rowCount).toBe(0);
    const done = await ask(socket, "yes", conversationId);
    expect(done.reply.content).toMatch(/now frozen/);
    const after = await app.db.query("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1002' AND status = 'frozen'");
    expect(after.rowCount).toBe(1);
    const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'banking.freeze_card'");
    expect(audit.rowCount).toBe(1);
    socket.disconnect();
  });

  it("never puts a card number into logs, prompts or the trace", async () => {
    const { socket } = await connectWidget(app);
    const { reply } = await ask(socket, "my card 4111 1111 1111 1111 was stolen");
    const stored = await app.db.query<{ content_attributes: unknown }>("SELECT content_attributes FROM messages WHERE id = $1", [reply.id]);
    expect(JSON.stringify(stored.rows[0]!.content_attributes)).not.toContain("4111 1111");
    socket.disconnect();
  });

  it("answers a question in three statements: what the job needs, the knowledge search, the reply with what was learnt", async () => {
    const { socket } = await connectWidget(app);
    // A first answer warms what a worker keeps: the knowledge index, the inbox's channel, the webhook and rule lists.
    const first = await ask(socket, "How do I freeze my card?");
    await app.ctx.queue.drain();
    // The next question is stored and its job held back, to be run below with its statements counted.
    const enqueue = app.ctx.queue.enqueue.bind(app.ctx.queue);
    let held: { conversationId: string; messageId: string } | undefined;
    app.ctx.queue.enqueue = async (name, data, options) => {
      if (name === REPLY_JOB) held = data as typeof held;
      else await enqueue(name, data, options);
    };
    try {
      await emitAck<Ack>(socket, "message:send", {
        conversationId: first.ack.conversationId,
        clientId: crypto.randomUUID(),
        content: "what's the fee for using an ATM abroad?",
      });
      await app.ctx.queue.drain();
      await new Promise((r) => setImmediate(r));
    } finally {
      app.ctx.queue.enqueue = enqueue;
    }
    expect(held).toBeDefined();
    const reply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
    const statements = await counting(app.db, () => replyToMessage(app.ctx, held!, 0));
    expect((await reply).attributes.kind).toBeUndefined(); // answered, not handed off
    // What a process keeps for a few seconds (db/Database.ts users: knowledge index version, webhook,
    // rule and tool lists) is checked now and then, not per reply.
    const perReply = statements.filter((s) => !/FROM (kb_index|webhooks|automation_rules|custom_tools)\b/.test(s));
    expect(perReply).toHaveLength(3);
    expect(perReply[0]).toContain("AS answered");
    expect(perReply[1]).toContain("<=>");
    expect(perReply[2]).toContain("INSERT INTO messages");
    // What the assistant learnt is stored all the same, on the question and on the conversation.
    const question = await app.db.query<{ content_attributes: { intent?: unknown; sentiment?: { label: string } } }>(
      "SELECT content_attributes FROM messages WHERE id = $1",
      [held!.messageId],
    );
    const { sentiment, intent } = question.rows[0]!.content_attributes;
    expect(intent).toBeDefined();
    const conversation = await app.db.query<{ sentiment_label: string; bot_state: unknown }>(
      "SELECT sentiment_label, bot_state FROM conversations WHERE id = $1",
      [held!.conversationId],
    );
    expect(conversation.rows[0]).toMatchObject({ sentiment_label: sentiment!.label, bot_state: expect.any(Object) });
    socket.disconnect();
  });
});

/**
 * The statements `fn` sends to the database (through db.query, db.replayable and transactions).
 * Nothing else may run meanwhile: the count is of everything sent while it runs.
 */
async function counting(db: Database, fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let inside = false;
  const count = (q: Queryable) => {
    const query = q.query.bind(q);
    return (sql: string | Statement, params?: unknown[]) => {
      // PGlite's db.query calls its replayable's: counted once.
      if (inside) return query(sql, params);
      seen.push(sqlText(sql));
      inside = true;
      try {
        return query(sql, params);
      } finally {
        inside = false;
      }
    };
  };
  const replayable = db.replayable as { query: Queryable["query"] };
  const saved = { query: db.query, replayableQuery: replayable.query, transaction: db.transaction };
  db.query = count(db) as Database["query"];
  replayable.query = count(replayable) as Queryable["query"];
  db.transaction = <T>(f: (tx: Transaction) => Promise<T>) =>
    saved.transaction.call(db, (tx) => f({ ...tx, query: count(tx) as Queryable["query"] })) as Promise<T>;
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
  } finally {
    db.query = saved.query;
    replayable.query = saved.replayableQuery;
    db.transaction = saved.transaction;
  }
  return seen;
}
