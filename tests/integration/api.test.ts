import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { signIn } from "../../server/commands/signIn.ts";
import { SYSTEM } from "../../server/actor.ts";

let app: TestApp;
let auth: { cookie: string; csrf: string };
beforeAll(async () => {
  app = await startTestApp({ services: ["web", "worker"] });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "api-admin@example.com",
    name: "API Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  auth = await signInAgent(app, "api-admin@example.com", "correct-horse-battery");
});
afterAll(() => app?.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers: { cookie: auth.cookie, ...headers } });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { cookie: auth.cookie, "x-csrf-token": auth.csrf, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("REST API", () => {
  it("serves health, readiness and the OpenAPI document", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok", checks: { database: "ok" } });
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/conversations/{id}/messages");
  });

  it("lists the seeded conversations, sorted by waiting time", async () => {
    const res = await get("/api/v1/conversations?view=all");
    const body = (await res.json()) as { total: number; items: Array<{ status: string; waitingSince: string | null }> };
    expect(res.status).toBe(200);
    expect(body.total).toBeGreaterThanOrEqual(4);
    const waiting = body.items.filter((i) => i.waitingSince).map((i) => Date.parse(i.waitingSince!));
    expect(waiting).toEqual([...waiting].sort((a, b) => a - b));
  });

  it("gives 404 for unknown conversations and 400 for malformed ids, bodies and filters", async () => {
    const missing = await get("/api/v1/conversations/00000000-0000-0000-0000-000000000000");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "Conversation not found" } });
    expect((await get("/api/v1/conversations/not-a-uuid")).status).toBe(400);
    expect((await get("/api/v1/conversations?status=bogus")).status).toBe(400);
    const badJson = await post("/api/v1/conversations/00000000-0000-0000-0000-000000000000/messages", "{nope");
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe("validation_error");
    const huge = await post("/api/v1/widget/sessions", { inbox: "website", name: "x".repeat(100_000) });
    expect(huge.status).toBe(413);
  });

  it("needs a session, and the CSRF token for writes", async () => {
    expect((await fetch(`${app.url}/api/v1/conversations`)).status).toBe(401);
    const list = (await (await get("/api/v1/conversations?view=all")).json()) as { items: Array<{ id: string }> };
    const id = list.items[0]!.id;
    const noCsrf = await fetch(`${app.url}/api/v1/conversations/${id}/messages`, {
      method: "POST",
      headers: { cookie: auth.cookie, "content-type": "application/json" },
      body: JSON.stringify({ content: "hi" }),
    });
    expect(noCsrf.status).toBe(403);
    const ok = await post(`/api/v1/conversations/${id}/messages`, { content: "Hello from the API", private: true });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ content: "Hello from the API", private: true, type: "outgoing" });
  });

  it("gives an unassigned conversation to the agent who answers it first, and previews what the customer wrote", async () => {
    const list = async () =>
      (
        (await (await get("/api/v1/conversations?view=all")).json()) as {
          items: Array<{ id: string; assigneeId: string | null; lastMessage: string }>;
        }
      ).items;
    const me = ((await (await get("/api/v1/auth/me")).json()) as { agent: { id: string } }).agent.id;
    // The seeded fraud report: handed off, waiting unassigned, the bot's handoff line its last public message.
    const fraud = (await list()).find((c) => c.lastMessage?.includes("¥3,280"))!;
    expect(fraud.assigneeId).toBeNull();
    // A private note takes nothing; "assignToMe: false" leaves it unassigned; a plain reply takes it.
    await post(`/api/v1/conversations/${fraud.id}/messages`, { content: "checking the card", private: true });
    await post(`/api/v1/conversations/${fraud.id}/messages`, { content: "One moment please.", assignToMe: false });
    expect((await list()).find((c) => c.id === fraud.id)!.assigneeId).toBeNull();
    const reply = await post(`/api/v1/conversations/${fraud.id}/messages`, { content: "I'm freezing the card now." });
    expect(reply.status).toBe(201);
    const after = (await list()).find((c) => c.id === fraud.id)!;
    expect(after.assigneeId).toBe(me);
    // The preview is still the customer's words, not the agent's or the bot's.
    expect(after.lastMessage).toContain("¥3,280");
  });

  it("locks an account after five wrong passwords", async () => {
    await createAgent(app.ctx, { actor: SYSTEM, email: "lock@example.com", name: "Lock", role: "agent", password: "the-right-password" });
    const attempt = (password: string) =>
      fetch(`${app.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "lock@example.com", password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-password")).status).toBe(401);
    // Locked: the right password is refused too, with the same answer as a wrong one.
    const locked = await attempt("the-right-password");
    expect(locked.status).toBe(401);
    const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'auth.locked_out'");
    expect(audit.rowCount).toBe(1);
  });

  it("counts parallel guesses: a hundred at once lock the account, and at most five passwords are checked", async () => {
    const a = await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "burst@example.com",
      name: "Burst",
      role: "agent",
      password: "the-right-password",
    });
    const attempt = (password: string) =>
      signIn(app.ctx, { email: "burst@example.com", password }).then(
        () => "ok",
        (e: { code?: string }) => e.code,
      );
    // The right password is among the guesses, after the first hundred: it must not get in.
    const results = await Promise.all([...Array.from({ length: 100 }, () => attempt("wrong-password")), attempt("the-right-password")]);
    expect(results.filter((r) => r === "ok")).toEqual([]);
    const { rows } = await app.db.query<{ locked: boolean }>("SELECT locked_until > now() AS locked FROM agents WHERE id = $1", [a.id]);
    expect(rows[0]!.locked).toBe(true);
    const failed = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND actor_id = $1", [a.id]);
    expect(failed.rowCount).toBeLessThanOrEqual(4);
    // Every attempt costs a scrypt (locked and unknown accounts too, so they answer in the
    // same time): 101 of them take ~10 s on an idle core and more on a busy CI machine.
  }, 90_000);

  it("answers a locked, a deactivated and an unknown account like a wrong password", async () => {
    const body = (email: string) =>
      fetch(`${app.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "not-the-password" }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const gone = await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "gone@example.com",
      name: "Gone",
      role: "agent",
      password: "the-right-password",
    });
    await app.db.query("UPDATE agents SET disabled_at = now() WHERE id = $1", [gone.id]);
    const answers = [await body("lock@example.com"), await body("gone@example.com"), await body("nobody@example.com")];
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(401);
  });

  it("refuses a forged widget identity", async () => {
    const res = await post("/api/v1/widget/sessions", { inbox: "website", userId: "C-1001", identityHash: "0".repeat(64) });
    expect(res.status).toBe(401);
  });
});

describe("widget embedding on the bank's own site", () => {
  it("serves widget.js for cross-origin script tags and answers the CORS preflight", async () => {
    const js = await fetch(`${app.url}/widget.js`);
    expect(js.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const pre = await fetch(`${app.url}/api/v1/widget/sessions`, {
      method: "OPTIONS",
      headers: {
        origin: "https://www.bank.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://www.bank.example");
  });

  it("refuses origins an inbox does not allow", async () => {
    await app.db.query(
      `UPDATE inboxes SET settings = settings || '{"allowedOrigins": ["https://www.bank.example"]}'::jsonb WHERE slug = 'website'`,
    );
    const start = (origin: string) =>
      fetch(`${app.url}/api/v1/widget/sessions`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ inbox: "website" }),
      });
    expect((await start("https://evil.example")).status).toBe(403);
    expect((await start("https://www.bank.example")).status).toBe(201);
    await app.db.query(`UPDATE inboxes SET settings = settings - 'allowedOrigins' WHERE slug = 'website'`);
  });
});

describe("knowledge API", () => {
  it("searches the knowledge base and refuses an empty query", async () => {
    const ok = await get("/api/v1/knowledge/search?q=freeze%20my%20card");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { hits: Array<{ path: string }> };
    expect(body.hits[0]!.path).toBe("cards/lost-card.md");
    const empty = await get("/api/v1/knowledge/search?q=%20%20");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: "validation_error" } });
  });

  it("lets only admins and content editors trigger a sync", async () => {
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "plain-agent@example.com",
      name: "Agent",
      role: "agent",
      password: "plain-agent-password",
    });
    const agent = await signInAgent(app, "plain-agent@example.com", "plain-agent-password");
    const denied = await fetch(`${app.url}/api/v1/knowledge/sync`, {
      method: "POST",
      headers: { cookie: agent.cookie, "x-csrf-token": agent.csrf },
    });
    expect(denied.status).toBe(403);
    expect((await post("/api/v1/knowledge/sync", {})).status).toBe(202);
  });
});

describe("cited articles", () => {
  it("renders an indexed article at its citation link and nothing else", async () => {
    const page = await fetch(`${app.url}/kb/cards/lost-card`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Lost or stolen card</h1>");
    expect(html).toContain("Freeze the card");
    expect((await fetch(`${app.url}/kb/cards/not-there`)).status).toBe(404);
    expect((await fetch(`${app.url}/kb/../package`)).status).toBe(404);
  });
});

describe("hostile bodies", () => {
  it("refuses a 6,000-deep JSON body with a 400, not a 500", async () => {
    const res = await fetch(`${app.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"email": ${"[".repeat(6000)}${"]".repeat(6000)}, "password": "x"}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "validation_error", message: expect.stringContaining("nested deeper") } });
  });
});
