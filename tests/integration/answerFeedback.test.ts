/**
 * Feedback closes the loop (#12): a customer marks the assistant's answers helpful or
 * not in the widget (socket `message:feedback`), or rejects one in words; agents see
 * it on the message; reports count it. Through the real socket, HTTP API and database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import {
  callApi,
  connectWidget,
  emitAck,
  nextEvent,
  signInAgent,
  startTestApp,
  unpackAgentEvents,
  type TestApp,
} from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { SYSTEM } from "../../server/actor.ts";

let app: TestApp;
let admin: { cookie: string; csrf: string };
let agentId: string;

type Msg = {
  id: string;
  conversationId: string;
  seq: number;
  content: string;
  sender: { type: string };
  attributes: Record<string, unknown> & { feedback?: { rating: string; via: string; updatedAt: string } };
};
type Ack = { ok: boolean; message?: Msg; error?: { code: string; message: string } };
type Customer = Awaited<ReturnType<typeof connectWidget>>;

beforeAll(async () => {
  app = await startTestApp();
  agentId = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "fb-admin@example.com",
      name: "FB Admin",
      role: "admin",
      password: "feedback-loop-pass",
    })
  ).id;
  admin = await signInAgent(app, "fb-admin@example.com", "feedback-loop-pass");
}, 120_000);
afterAll(() => app?.close());

/** Sends a question and waits for the assistant's reply to it. */
async function ask(customer: Customer, content: string, conversationId?: string): Promise<{ question: Msg; reply: Msg }> {
  const reply = nextEvent<Msg>(customer.socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<Ack>(customer.socket, "message:send", { conversationId, clientId: crypto.randomUUID(), content });
  expect(ack.ok).toBe(true);
  return { question: ack.message!, reply: await reply };
}

const rate = (customer: Customer, conversationId: string, messageId: string, rating: string) =>
  emitAck<Ack>(customer.socket, "message:feedback", { conversationId, messageId, rating });

const feedbackRows = async (conversationId: string) =>
  (
    await app.db.query<{ message_id: string; rating: string; via: string; created_at: Date; updated_at: Date }>(
      "SELECT * FROM answer_feedback WHERE conversation_id = $1 ORDER BY created_at",
      [conversationId],
    )
  ).rows;

async function agentSocket(): Promise<Socket> {
  const socket = unpackAgentEvents(
    connect(`${app.url}/agent`, { extraHeaders: { cookie: admin.cookie }, transports: ["websocket"], reconnection: false, forceNew: true }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

async function report(): Promise<{
  conversations: number;
  containmentRate: number | null;
  answerFeedback: { helpful: number; notHelpful: number; inWords: number; helpfulRate: number | null };
  unansweredQuestions: Array<{ text: string; reason: string; count: number; passages: Array<{ path: string; heading: string }> }>;
}> {
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  const res = await callApi(app, admin, "GET", `/reports/summary?from=${from}&to=${to}`);
  expect(res.status).toBe(200);
  return res.body as never;
}

describe("answer feedback", () => {
  it("a customer rates an answer, changes their mind (one row, audited), and agents see it on the message", async () => {
    const customer = await connectWidget(app);
    const agent = await agentSocket();
    try {
      const { question, reply } = await ask(customer, "How do I freeze my card?");
      const conversationId = reply.conversationId;
      expect(reply.attributes.citations).toEqual([expect.objectContaining({ path: "cards/lost-card.md" })]);
      const before = await report();

      const seen = nextEvent<{ message: Msg }>(agent, "message:updated", (e) => e.message.id === reply.id);
      const helpful = await rate(customer, conversationId, reply.id, "helpful");
      expect(helpful).toMatchObject({
        ok: true,
        message: { id: reply.id, attributes: { feedback: { rating: "helpful", via: "button" } } },
      });
      expect((await seen).message.attributes.feedback).toMatchObject({ rating: "helpful" });
      const [first] = await feedbackRows(conversationId);
      expect(first).toMatchObject({ message_id: reply.id, rating: "helpful", via: "button" });

      // The same click again (a double click, a second tab): nothing changes.
      expect((await rate(customer, conversationId, reply.id, "helpful")).ok).toBe(true);
      expect(await feedbackRows(conversationId)).toEqual([first]);

      // A change of mind overwrites the one row, with its time, and is on record.
      const notHelpful = await rate(customer, conversationId, reply.id, "not_helpful");
      expect(notHelpful.message!.attributes.feedback).toMatchObject({ rating: "not_helpful", via: "button" });
      const rows = await feedbackRows(conversationId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ rating: "not_helpful", created_at: first!.created_at });
      expect(rows[0]!.updated_at.getTime()).toBeGreaterThan(first!.updated_at.getTime());
      const audit = await app.db.query<{ actor_type: string; actor_id: string; data: Record<string, unknown> }>(
        "SELECT actor_type, actor_id, data FROM audit_log WHERE action = 'answer_feedback.changed' AND target_id = $1",
        [reply.id],
      );
      expect(audit.rows).toEqual([
        {
          actor_type: "contact",
          actor_id: (customer.session.contact as { id: string }).id,
          data: { conversationId, via: "button", changes: { rating: { from: "helpful", to: "not_helpful" } } },
        },
      ]);

      // The customer's verdict stays with the message: the widget shows it again after a reload.
      const sync = await emitAck<{ ok: boolean; messages: Msg[] }>(customer.socket, "messages:sync", { conversationId, afterSeq: 0 });
      expect(sync.messages.find((m) => m.id === reply.id)!.attributes.feedback).toMatchObject({ rating: "not_helpful" });

      // Reports: the conversation is no longer contained, and its question and passage are for the content team.
      const after = await report();
      expect(after.conversations).toBe(before.conversations);
      expect(after.containmentRate!).toBeLessThan(before.containmentRate!);
      expect(after.answerFeedback.notHelpful).toBe(before.answerFeedback.notHelpful + 1);
      expect(after.unansweredQuestions).toContainEqual(
        expect.objectContaining({
          text: question.content,
          reason: "not_helpful",
          passages: (reply.attributes.citations as Array<{ path: string; heading: string }>).map((c) =>
            expect.objectContaining({ path: c.path, heading: c.heading }),
          ),
        }),
      );
    } finally {
      customer.socket.disconnect();
      agent.disconnect();
    }
  });

  it("refuses other customers' messages, messages that are no answer, and bad input, with a clear 4xx-style error", async () => {
    const owner = await connectWidget(app);
    const stranger = await connectWidget(app);
    try {
      const { question, reply } = await ask(owner, "How much does a replacement card cost?");
      const conversationId = reply.conversationId;
      const { reply: strangersReply } = await ask(stranger, "How do I freeze my card?");

      // Another customer's conversation, or its message named from one's own: not found (ids cannot be probed).
      expect(await rate(stranger, conversationId, reply.id, "not_helpful")).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(await rate(stranger, strangersReply.conversationId, reply.id, "not_helpful")).toMatchObject({
        ok: false,
        error: { code: "not_found", message: "Message not found" },
      });
      expect(await rate(owner, conversationId, crypto.randomUUID(), "helpful")).toMatchObject({ ok: false, error: { code: "not_found" } });

      // The customer's own message, and an agent's reply: no answers of the assistant.
      const { message: agentReply } = await postMessage(app.ctx, {
        conversationId,
        messageType: "outgoing",
        senderType: "agent",
        senderId: agentId,
        content: "A new card is ¥10.",
      });
      for (const id of [question.id, agentReply.id]) {
        const r = await rate(owner, conversationId, id, "helpful");
        expect(r).toMatchObject({ ok: false, error: { code: "validation_error" } });
        expect(r.error!.message).toMatch(/Only the assistant's answers/);
      }

      // Not a rating, not an id: refused by the schema.
      expect(await rate(owner, conversationId, reply.id, "meh")).toMatchObject({ ok: false, error: { code: "validation_error" } });
      expect(await rate(owner, conversationId, "not-a-uuid", "helpful")).toMatchObject({ ok: false, error: { code: "validation_error" } });
      expect(await feedbackRows(conversationId)).toEqual([]);
      expect(await feedbackRows(strangersReply.conversationId)).toEqual([]);
    } finally {
      owner.socket.disconnect();
      stranger.socket.disconnect();
    }
  });

  it("records an answer the customer rejects in words as not helpful, once", async () => {
    const customer = await connectWidget(app);
    try {
      const { reply } = await ask(customer, "How do I freeze my card?");
      const conversationId = reply.conversationId;
      const { reply: next } = await ask(customer, "that's not what I asked", conversationId);
      // Recorded before the next reply is posted (assistantModule), so it is there now.
      expect(await feedbackRows(conversationId)).toEqual([
        expect.objectContaining({ message_id: reply.id, rating: "not_helpful", via: "words" }),
      ]);
      const stored = await app.db.query<{ content_attributes: Record<string, unknown> }>(
        "SELECT content_attributes FROM messages WHERE id = $1",
        [reply.id],
      );
      expect(stored.rows[0]!.content_attributes.feedback).toMatchObject({ rating: "not_helpful", via: "words" });
      // The next answer, another passage, carries no verdict of its own…
      expect(next.attributes.feedback).toBeUndefined();
      expect(next.content).toMatch(/^Sorry about that/);
      // …and marked not helpful in turn, it is listed under the question it answered, not under "that's not what I asked".
      expect((await rate(customer, conversationId, next.id, "not_helpful")).ok).toBe(true);
      const { unansweredQuestions } = await report();
      expect(unansweredQuestions).toContainEqual(
        expect.objectContaining({
          text: "How do I freeze my card?",
          reason: "not_helpful",
          passages: (next.attributes.citations as Array<{ path: string; heading: string }>).map((c) =>
            expect.objectContaining({ path: c.path, heading: c.heading }),
          ),
        }),
      );
      expect(unansweredQuestions.map((q) => q.text)).not.toContain("that's not what I asked");
    } finally {
      customer.socket.disconnect();
    }
  });

  it("limits ratings like other widget events", async () => {
    const customer = await connectWidget(app);
    try {
      const { reply } = await ask(customer, "How do I freeze my card?");
      const answers: Ack[] = [];
      for (let i = 0; i < 21; i++) answers.push(await rate(customer, reply.conversationId, reply.id, i % 2 ? "helpful" : "not_helpful"));
      expect(answers.slice(0, 20).every((a) => a.ok)).toBe(true);
      expect(answers[20]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
      expect(await feedbackRows(reply.conversationId)).toHaveLength(1);
    } finally {
      customer.socket.disconnect();
    }
  });
});
