import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { promptText, startFakeOpenAI, type FakeOpenAI } from "../helpers/fakeOpenAI.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { handOff } from "../../server/commands/handOff.ts";
import { SYSTEM } from "../../server/actor.ts";
import { improveToneOffline } from "../../server/assistant/agentAssist/improveTone.ts";

/**
 * The console's AI assistance over HTTP: offline by default, and with a model
 * (the fake OpenAI-compatible server) when configured. Nothing is ever sent.
 */
const PASSWORD = "assist-test-password";

interface Session {
  cookie: string;
  csrf: string;
}

async function setup(app: TestApp) {
  // No worker here (the bot stays quiet), so index the knowledge base ourselves.
  await app.ctx.knowledge.sync();
  const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Olivia Park') RETURNING id")).rows[0]!.id;
  const email = `agent-${crypto.randomBytes(3).toString("hex")}@assist.example`;
  await createAgent(app.ctx, { actor: SYSTEM, email, name: "Assist Agent", role: "admin", password: PASSWORD });
  const session = await signInAgent(app, email, PASSWORD);
  // Bot-owned, so it can be handed off; no worker runs here, so the bot stays quiet.
  const c = await createConversation(app.ctx, { inboxId, contactId, status: "pending" });
  const say = (content: string, type: "incoming" | "outgoing" = "incoming", senderType: "contact" | "agent" = "contact") =>
    postMessage(app.ctx, { conversationId: c.id, messageType: type, senderType, content });
  return { inboxId, contactId, session, conversationId: c.id, say };
}

async function call<T = Record<string, unknown>>(app: TestApp, s: Session | null, path: string, body: unknown = {}) {
  const r = await callApi(app, s, "POST", path, body);
  return { status: r.status, body: r.body as T };
}

type Suggestion = { text: string; citations: Array<{ path: string; url: string }>; declined: boolean; generator: string; query: string };

describe("agent assistance, offline", () => {
  let app: TestApp;
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ services: ["web"] });
    ctx = await setup(app);
  });
  afterAll(() => app?.close());

  it("previews what the assistant would answer to a typed question, storing nothing", async () => {
    const before = (await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages")).rows[0]!.n;
    type Preview = {
      answered: boolean;
      reply: string;
      confidence: number | null;
      citations: Array<{ path: string }>;
      handoff: { needed: boolean };
    };
    const answer = await call<Preview>(app, ctx.session, "/assist/preview-answer", { text: "my card was stolen, how do I freeze it?" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ answered: true, handoff: { needed: false } });
    expect(answer.body.reply).toMatch(/Freeze/);
    expect(answer.body.confidence).toBeGreaterThan(0.5);
    expect(answer.body.citations[0]?.path).toBe("cards/lost-card.md");
    const unsure = await call<Preview>(app, ctx.session, "/assist/preview-answer", { text: "do you sell gold bars at the branch?" });
    expect(unsure.body).toMatchObject({ answered: false });
    expect(unsure.body.citations).toEqual([]);
    expect((await call(app, ctx.session, "/assist/preview-answer", { text: " " })).status).toBe(400);
    expect((await call(app, null, "/assist/preview-answer", { text: "hi" })).status).toBe(401);
    expect((await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages")).rows[0]!.n).toBe(before);
  });

  it("suggests a reply from the knowledge base with citations, and sends nothing", async () => {
    await ctx.say("Hi, I lost my card yesterday");
    await ctx.say("How much does a replacement card cost?");
    const before = (await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1", [ctx.conversationId])).rowCount;
    const r = await call<Suggestion>(app, ctx.session, `/conversations/${ctx.conversationId}/assist/suggest-reply`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ declined: false, generator: "offline" });
    expect(r.body.text).toContain("A replacement card costs ¥10 and arrives in 5–7 working days.");
    // Clean prose for the reply box: the sources travel beside it, never pasted in.
    expect(r.body.text).not.toMatch(/Sources:|\]\(\/kb\//);
    expect(r.body.citations).toEqual([expect.objectContaining({ path: "cards/lost-card.md", url: "/kb/cards/lost-card" })]);
    const after = (await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1", [ctx.conversationId])).rowCount;
    expect(after).toBe(before);
  });

  it("declines when nothing in the knowledge base answers", async () => {
    const other = await createConversation(app.ctx, { inboxId: ctx.inboxId, contactId: ctx.contactId });
    await postMessage(app.ctx, { conversationId: other.id, messageType: "incoming", senderType: "contact", content: "qwxz zzkj vvpt" });
    const r = await call<Suggestion>(app, ctx.session, `/conversations/${other.id}/assist/suggest-reply`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ declined: true, text: "", citations: [] });
  });

  it("summarises the conversation from the thread (redacted)", async () => {
    await ctx.say("My card number is 4111 1111 1111 1111, please block it!");
    await handOff(app.ctx, { conversationId: ctx.conversationId, reason: "explicit_request", summary: "wants a person" });
    const r = await call<{ summary: string; generator: string }>(app, ctx.session, `/conversations/${ctx.conversationId}/assist/summary`);
    expect(r.status).toBe(200);
    expect(r.body.generator).toBe("offline");
    expect(r.body.summary).toContain("Customer: Olivia Park (not verified)");
    expect(r.body.summary).toContain("Asked first: “Hi, I lost my card yesterday”");
    expect(r.body.summary).toContain("Handed off: explicit request.");
    expect(r.body.summary).toContain("Open: the customer's last message has no reply yet.");
    expect(r.body.summary).not.toMatch(/4111 1111/);
  });

  it("improves the tone of a draft by rules, listing each change and keeping the facts", async () => {
    const r = await call<{ text: string; changes: string[]; generator: string }>(
      app,
      ctx.session,
      `/conversations/${ctx.conversationId}/assist/improve-tone`,
      { text: "pls check ur app, the new card WILL arrive tmrw!!! it costs ¥10" },
    );
    expect(r.status).toBe(200);
    expect(r.body.generator).toBe("offline");
    expect(r.body.text).toBe(
      "Hello Olivia Park,\n\nPlease check your app, the new card will arrive tomorrow! It costs ¥10.\n\nIs there anything else I can help you with?",
    );
    expect(r.body.changes).toEqual([
      "Spelled out shorthand: “pls” → “please”, “ur” → “your”, “tmrw” → “tomorrow”",
      "Replaced all-capitals words with normal case",
      "Toned down repeated punctuation",
      "Capitalised the start of sentences",
      "Ended the last sentence",
      "Added a greeting",
      "Added a closing",
    ]);
  });

  it("refuses without a session or CSRF token, content editors, and other teams' conversations", async () => {
    const path = `/conversations/${ctx.conversationId}/assist/summary`;
    expect((await call(app, null, path)).status).toBe(401);
    expect((await call(app, { ...ctx.session, csrf: "wrong" }, path)).status).toBe(403);
    const editor = `editor-${crypto.randomBytes(3).toString("hex")}@assist.example`;
    await createAgent(app.ctx, { actor: SYSTEM, email: editor, name: "Editor", role: "content", password: PASSWORD });
    expect((await call(app, await signInAgent(app, editor, PASSWORD), path)).status).toBe(403);
    // An agent of another team cannot reach a team's conversation (not found, not forbidden).
    const team = await createTeam(app.ctx, { actor: SYSTEM, name: "Private team", slug: `p-${crypto.randomBytes(3).toString("hex")}` });
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [ctx.conversationId, team.id]);
    const outsider = `out-${crypto.randomBytes(3).toString("hex")}@assist.example`;
    await createAgent(app.ctx, { actor: SYSTEM, email: outsider, name: "Outsider", role: "agent", password: PASSWORD });
    expect((await call(app, await signInAgent(app, outsider, PASSWORD), path)).status).toBe(404);
    expect((await call(app, ctx.session, `/conversations/${ctx.conversationId}/assist/improve-tone`, { text: "" })).status).toBe(400);
  });
});

describe("agent assistance with a model (fake OpenAI-compatible server)", () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      services: ["web"],
      env: { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: "test", OPENAI_MODEL: "fake-model" },
    });
    ctx = await setup(app);
    await ctx.say("How much does a replacement card cost? My card is 4111 1111 1111 1111");
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it("drafts the suggestion with the model from retrieved passages, citations from its markers", async () => {
    fake.script((body) =>
      promptText(body).includes("A replacement card costs ¥10") ? "A replacement costs ¥10 and takes 5–7 working days [1]." : "NO_ANSWER",
    );
    const r = await call<Suggestion>(app, ctx.session, `/conversations/${ctx.conversationId}/assist/suggest-reply`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ declined: false, generator: "llm" });
    expect(r.body.text).toMatch(/^A replacement costs ¥10 and takes 5–7 working days\.\s*$/);
    expect(r.body.citations.map((c) => c.path)).toEqual(["cards/lost-card.md"]);
    expect(fake.rawBodies()).not.toMatch(/4111 1111 1111 1111/);
  });

  it("summarises and rewrites with the model's prompts", async () => {
    fake.reset();
    fake.script((body) => {
      const text = promptText(body);
      if (text.includes("Summarise the conversation")) return "Olivia asks what a replacement card costs.";
      if (text.includes("polish a reply")) return "Hello Olivia, a replacement card costs ¥10. Is there anything else I can help with?";
      return "NO_ANSWER";
    });
    const s = await call<{ summary: string; generator: string }>(app, ctx.session, `/conversations/${ctx.conversationId}/assist/summary`);
    expect(s.body).toEqual({ summary: "Olivia asks what a replacement card costs.", generator: "llm" });
    const summaryPrompt = promptText(fake.chatRequests()[0]!);
    expect(summaryPrompt).toContain("Customer: How much does a replacement card cost?");
    expect(summaryPrompt).toContain("[card ****1111]");

    const t = await call<{ text: string; generator: string; changes: string[] }>(
      app,
      ctx.session,
      `/conversations/${ctx.conversationId}/assist/improve-tone`,
      { text: "its ¥10 ok" },
    );
    expect(t.body).toMatchObject({
      generator: "llm",
      text: "Hello Olivia, a replacement card costs ¥10. Is there anything else I can help with?",
    });
    expect(promptText(fake.chatRequests()[1]!)).toContain("<draft>\nits ¥10 ok\n</draft>");
  });

  it("falls back to the offline rewrite when the model quotes its instructions", async () => {
    fake.reset();
    fake.script(
      () =>
        "You help a bank's customer-service agent polish a reply before they send it. Rewrite the draft in the user message so that it is polite",
    );
    const t = await call<{ text: string; generator: string }>(
      app,
      ctx.session,
      `/conversations/${ctx.conversationId}/assist/improve-tone`,
      {
        text: "thx, done",
      },
    );
    expect(t.body.generator).toBe("offline");
    // "Thanks, done" thanks, but does not close the reply: a closing is added.
    expect(t.body.text).toBe("Hello Olivia Park,\n\nThanks, done.\n\nIs there anything else I can help you with?");
  });
});

describe("improveToneOffline", () => {
  it("leaves acronyms, a polite draft, and Chinese text's content alone", () => {
    expect(improveToneOffline("Hello Tom, your PIN is never asked by SMS. Kind regards").changes).toEqual([]);
    const zh = improveToneOffline("卡已经寄出了！！！");
    expect(zh.text).toBe("您好！卡已经寄出了！\n\n请问还有其他可以帮您的吗？");
  });

  it("spells out the shorthand agents type, writes the customer's name properly, and closes a reply that does not", () => {
    const r = improveToneOffline("hi wang fang, it shld arrive in 2 wks bc the courier is slow. thanks for waiting", {
      customerName: "Wang Fang",
    });
    expect(r.text).toBe("Hi Wang Fang, it should arrive in 2 weeks because the courier is slow. Thanks for waiting");
    expect(r.changes).toContain("Wrote the customer's name as “Wang Fang”");
  });
  it("adds a closing after a last sentence that only starts with thanks", () => {
    const r = improveToneOffline("Thanks for waiting, your card is frozen now", { customerName: "Emma Liu" });
    expect(r.text).toBe("Thanks for waiting, your card is frozen now.\n\nIs there anything else I can help you with?");
    expect(improveToneOffline("Hello Emma, it is frozen. Let me know if you need anything else.").changes).toEqual([]);
  });
});
