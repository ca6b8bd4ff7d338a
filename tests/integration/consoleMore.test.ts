import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { recordCsat } from "../../server/commands/recordCsat.ts";
import { SYSTEM } from "../../server/actor.ts";

/**
 * The console's remaining endpoints: the agent-readable inbox directory, the list's
 * filters, the reports' sentiment trend and top unanswered questions (redacted),
 * agent attachments (upload with CSRF, reply with attachmentIds), and the CSAT on a
 * conversation.
 */
let app: TestApp;
let agent: { cookie: string; csrf: string };
let other: { cookie: string; csrf: string };
let admin: { cookie: string; csrf: string };
let inboxId = "";
let cardsTeam = "";
let careTeam = "";
let contactId = "";
const PASSWORD = "console-more-password";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const FROM = "2026-03-01T00:00:00.000Z";
const TO = "2026-03-04T00:00:00.000Z";

const get = (s: { cookie: string }, path: string) => fetch(`${app.url}/api/v1${path}`, { headers: { cookie: s.cookie } });
const post = (s: { cookie: string; csrf?: string }, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/v1${path}`, {
    method: "POST",
    headers: {
      cookie: s.cookie,
      ...(s.csrf ? { "x-csrf-token": s.csrf } : {}),
      ...(Buffer.isBuffer(body) ? { "content-type": "application/octet-stream" } : { "content-type": "application/json" }),
      ...headers,
    },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });

/** A bot reply that declined the customer's question, as the assistant writes it. */
async function declined(conversationId: string, question: string, at: string) {
  const { rows } = await app.db.query<{ id: string }>(
    `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, created_at)
     VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = $1), 'incoming', 'contact', $2, $3) RETURNING id`,
    [conversationId, question, at],
  );
  await app.db.query(
    `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, content_attributes, created_at)
     VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = $1), 'outgoing', 'bot', 'Sorry, I cannot help with that.', $2, $3)`,
    [conversationId, JSON.stringify({ replyTo: rows[0]!.id, declined: true }), at],
  );
}

beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  const teams = (await app.db.query<{ id: string; slug: string }>("SELECT id, slug FROM teams ORDER BY slug")).rows;
  cardsTeam = teams[0]!.id;
  careTeam = teams[1]!.id;
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "ana@more.example",
    name: "Ana",
    role: "agent",
    password: PASSWORD,
    teamIds: [cardsTeam],
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "ben@more.example",
    name: "Ben",
    role: "agent",
    password: PASSWORD,
    teamIds: [cardsTeam],
  });
  await createAgent(app.ctx, { actor: SYSTEM, email: "boss@more.example", name: "Boss", role: "admin", password: PASSWORD });
  agent = await signInAgent(app, "ana@more.example", PASSWORD);
  other = await signInAgent(app, "ben@more.example", PASSWORD);
  admin = await signInAgent(app, "boss@more.example", PASSWORD);
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Report Person') RETURNING id")).rows[0]!.id;

  const conv = async (created: string, teamId: string | null, label: string | null, score: number | null) =>
    (
      await app.db.query<{ id: string }>(
        `INSERT INTO conversations (inbox_id, contact_id, status, created_at, team_id, sentiment_label, sentiment_score)
         VALUES ($1, $2, 'resolved', $3, $4, $5, $6) RETURNING id`,
        [inboxId, contactId, created, teamId, label, score],
      )
    ).rows[0]!.id;
  const a = await conv("2026-03-01T09:00:00Z", cardsTeam, "negative", -0.8);
  const b = await conv("2026-03-01T10:00:00Z", careTeam, "positive", 0.4);
  const c = await conv("2026-03-02T10:00:00Z", cardsTeam, "neutral", 0);
  await declined(a, "Can I open an account for my cat?", "2026-03-01T09:01:00Z");
  await declined(b, "can i open an account for my CAT", "2026-03-01T10:01:00Z");
  await declined(c, "Can I open an account for my cat!!", "2026-03-02T10:01:00Z");
  await declined(c, "Why was card 4111 1111 1111 1111 charged twice? Call me on 13812345678", "2026-03-02T10:02:00Z");
  await declined(a, "Why was card 5500 0000 0000 0004 charged twice? Call me on 13987654321", "2026-03-01T09:03:00Z");
  // Outside the range.
  await declined(a, "What's the weather?", "2026-02-20T10:00:00Z");
});
afterAll(() => app?.close());

describe("inbox directory and list filters", () => {
  it("lists inboxes for agents without settings or secrets", async () => {
    const r = await get(agent, "/inboxes");
    expect(r.status).toBe(200);
    const body = (await r.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items.length).toBeGreaterThan(0);
    for (const i of body.items) expect(Object.keys(i).sort()).toEqual(["channel", "id", "name", "slug"]);
    expect((await fetch(`${app.url}/api/v1/inboxes`)).status).toBe(401);
  });

  it("filters the list by status, team, inbox and label", async () => {
    const id = (await createConversation(app.ctx, { inboxId, contactId, status: "open" })).id;
    await app.db.query("UPDATE conversations SET team_id = $2, labels = '{vip}' WHERE id = $1", [id, cardsTeam]);
    const ids = async (q: string) =>
      ((await (await get(agent, `/conversations?view=all&limit=200&${q}`)).json()) as { items: Array<{ id: string }> }).items.map(
        (c) => c.id,
      );
    expect(await ids(`status=open&teamId=${cardsTeam}&inboxId=${inboxId}&label=vip`)).toEqual([id]);
    expect(await ids(`status=resolved&label=vip`)).toEqual([]);
    expect(await ids(`teamId=${careTeam}&label=vip`)).toEqual([]);
  });
});

describe("reports: sentiment trend and unanswered questions", () => {
  const q = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

  // Across teams: an admin's view (an agent's reports cover their own teams: reportsExport.test.ts).
  it("gives the sentiment per day and the declined questions, grouped and redacted", async () => {
    const r = await get(admin, `/reports/summary?${q}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      sentimentTrend: Array<{ day: string; average: number | null; negativeShare: number | null }>;
      unansweredQuestions: Array<{ text: string; count: number; lastSeen: string }>;
    };
    expect(body.sentimentTrend).toEqual([
      { day: "2026-03-01", scored: 2, average: -0.2, negativeShare: 0.5 },
      { day: "2026-03-02", scored: 1, average: 0, negativeShare: 0 },
    ]);
    const top = body.unansweredQuestions;
    expect(top[0]).toMatchObject({ text: "Can I open an account for my cat!!", count: 3, lastSeen: "2026-03-02T10:01:00.000Z" });
    expect(top[1]!.count).toBe(2);
    const json = JSON.stringify(top);
    expect(json).not.toMatch(/4111 1111|5500 0000|13812345678|13987654321/);
    expect(top[1]!.text).toContain("[card ****1111]");
    expect(json).not.toContain("weather");
  });

  it("narrows the unanswered questions by team", async () => {
    const r = await get(admin, `/reports/summary?${q}&teamId=${careTeam}`);
    const body = (await r.json()) as { unansweredQuestions: Array<{ text: string; count: number }>; sentimentTrend: unknown[] };
    expect(body.unansweredQuestions).toEqual([
      { text: "can i open an account for my CAT", count: 1, lastSeen: "2026-03-01T10:01:00.000Z", reason: "declined", passages: [] },
    ]);
    expect(body.sentimentTrend).toHaveLength(1);
  });
});

describe("agent attachments", () => {
  let conversationId = "";
  beforeAll(async () => {
    const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [c.id, cardsTeam]);
    conversationId = c.id;
  });

  it("uploads with the CSRF token only, and refuses what isn't an image or PDF", async () => {
    expect((await post({ cookie: agent.cookie }, `/conversations/${conversationId}/attachments?name=x.png`, PNG)).status).toBe(403);
    const bad = await post(agent, `/conversations/${conversationId}/attachments?name=x.png`, Buffer.from("MZ\x90\x00 not a picture"));
    expect(bad.status).toBe(415);
  });

  it("replies with an uploaded image; the customer's message carries it and others can't reuse it", async () => {
    const up = await post(agent, `/conversations/${conversationId}/attachments?name=statement.png`, PNG);
    expect(up.status).toBe(201);
    const { attachment } = (await up.json()) as { attachment: { id: string; url: string; contentType: string } };
    expect(attachment.contentType).toBe("image/png");

    // Another agent cannot send Ana's upload.
    const stolen = await post(other, `/conversations/${conversationId}/messages`, { content: "mine", attachmentIds: [attachment.id] });
    expect(stolen.status).toBe(404);

    const r = await post(agent, `/conversations/${conversationId}/messages`, {
      content: "",
      attachmentIds: [attachment.id],
      clientId: "a-1",
    });
    expect(r.status).toBe(201);
    const m = (await r.json()) as { attachments: Array<{ id: string }> };
    expect(m.attachments.map((a) => a.id)).toEqual([attachment.id]);
    const img = await get(other, attachment.url.replace("/api/v1", ""));
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    const { rows } = await app.db.query<{ conversation_id: string; message_id: string }>(
      "SELECT conversation_id, message_id FROM attachments WHERE id = $1",
      [attachment.id],
    );
    expect(rows[0]).toEqual({ conversation_id: conversationId, message_id: expect.any(String) });
    // Text or a file: an empty reply is refused.
    expect((await post(agent, `/conversations/${conversationId}/messages`, { content: "" })).status).toBe(400);
  });
});

describe("CSAT on a conversation", () => {
  it("shows the customer's rating with the conversation", async () => {
    const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
    await postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: "hi" });
    await app.db.query("UPDATE conversations SET status = 'resolved', resolved_at = now(), team_id = $2 WHERE id = $1", [c.id, cardsTeam]);
    const first = await get(agent, `/conversations/${c.id}`);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { csat: unknown }).csat).toBeNull();
    await recordCsat(app.ctx, { conversationId: c.id, rating: 4, comment: "Quick and kind" });
    const body = (await (await get(agent, `/conversations/${c.id}`)).json()) as { csat: unknown };
    expect(body.csat).toEqual({ rating: 4, comment: "Quick and kind", createdAt: expect.any(String) });
  });
});
