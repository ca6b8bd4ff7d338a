/**
 * Fuzzing the REST API against the real server: widget sessions, the pre-chat
 * form, attachment uploads, the conversations API as an agent and the admin API
 * get malformed, oversized and hostile input. Properties: never a 5xx (a 4xx with
 * `{error:{code,message}}`), the process keeps serving /healthz, and a refused
 * request stores nothing (contacts, conversations and customer messages unchanged).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWidget, emitAck, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import {
  clientIp,
  enc,
  expectClientError,
  expectHealthy,
  expectNo5xx,
  fcOptions,
  hostileString,
  hostileValue,
  mangled,
  rowCounts,
} from "./fuzzKit.ts";

let app: TestApp;
let admin: { cookie: string; csrf: string };
let widgetToken = "";
let conversationId = "";
const MAX_ATTACHMENT = 64 * 1024;

beforeAll(async () => {
  app = await startTestApp({ services: ["web", "realtime"], env: { MAX_ATTACHMENT_BYTES: String(MAX_ATTACHMENT) } });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "fuzz-admin@example.com",
    name: "Fuzz Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "fuzz-admin@example.com", "correct-horse-battery");
  const w = await connectWidget(app);
  widgetToken = w.token;
  const sent = await emitAck<{ ok: boolean; message: { conversationId: string } }>(w.socket, "message:send", {
    clientId: "fuzz-seed-1",
    content: "hello",
  });
  conversationId = sent.message.conversationId;
  w.socket.close();
});
afterAll(() => app?.close());

/** A request from a distinct address (rate limits are per address). */
function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${app.url}${path}`, { ...init, headers: { "x-forwarded-for": clientIp(), ...init.headers } });
}
async function newWidgetToken(): Promise<string> {
  const res = await call("/api/v1/widget/sessions", {
    method: "POST",
    body: '{"inbox":"website"}',
    headers: { "content-type": "application/json" },
  });
  return ((await res.json()) as { token: string }).token;
}
const asAdmin = (method: string, path: string, body: string, type = "application/json") =>
  call(`/api/v1${path}`, { method, body, headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": type } });

/** Bodies that are not the JSON asked for: broken JSON, other types, prototype tricks, too large. */
const badBody = fc.oneof(
  hostileValue.map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: s, type: "application/json" })),
  fc.constantFrom(
    { body: "{", type: "application/json" },
    { body: '{"a":1,}', type: "application/json" },
    { body: '{"__proto__":{"isAdmin":true}}', type: "application/json" },
    { body: '{"constructor":{"prototype":{"x":1}}}', type: "application/json" },
    { body: "[]", type: "application/json" },
    { body: "null", type: "application/json" },
    { body: '"just a string"', type: "application/json" },
    { body: "a=1&b=2", type: "application/x-www-form-urlencoded" },
    { body: "<xml/>", type: "text/xml" },
    { body: "{}", type: "application/json; charset=utf-7" },
    { body: JSON.stringify({ x: "a".repeat(70_000) }), type: "application/json" },
    { body: "[".repeat(5000) + "]".repeat(5000), type: "application/json" },
  ),
);

describe("fuzz: widget sessions and pre-chat form", () => {
  it("POST /widget/sessions: 201 with a token, or a 4xx that stores no contact", async () => {
    const sessionBody = mangled({
      inbox: fc.constantFrom("website", "nope", ""),
      token: hostileString,
      userId: hostileString,
      identityHash: hostileString,
      name: hostileString,
      email: fc.oneof(fc.emailAddress(), hostileString),
      attributes: fc.dictionary(hostileString, fc.oneof(hostileString, fc.integer(), fc.boolean(), hostileValue), { maxKeys: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          sessionBody.map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
          badBody,
        ),
        async (b) => {
          const before = await rowCounts(app.db);
          const res = await call("/api/v1/widget/sessions", { method: "POST", body: b.body, headers: { "content-type": b.type } });
          const { status, body } = await expectNo5xx(res, `session ${b.body.slice(0, 100)}`);
          if (status === 201) {
            expect(typeof (body as { token: unknown }).token).toBe("string");
          } else {
            expect(await rowCounts(app.db)).toEqual(before);
          }
        },
      ),
      fcOptions(),
    );
    await expectHealthy(app.url);
  });

  it("POST /widget/prechat and GET /widget/availability: never a 5xx, bad tokens are 401", async () => {
    const prechat = mangled({ name: hostileString, email: fc.oneof(fc.emailAddress(), hostileString), phone: hostileString });
    const auth = fc.oneof(
      fc.constant(`Bearer ${widgetToken}`),
      hostileString.map((s) => `Bearer ${s}`),
      fc.constantFrom("", "Bearer", "Basic abc", `bearer ${widgetToken}`),
    );
    await fc.assert(
      fc.asyncProperty(
        auth,
        fc.oneof(
          prechat.map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
          badBody,
        ),
        async (a, b) => {
          const headers = { "content-type": b.type, ...(/^[\x20-\x7e]*$/.test(a) ? { authorization: a } : {}) };
          const before = await rowCounts(app.db);
          const res = await call("/api/v1/widget/prechat", { method: "POST", body: b.body, headers });
          const { status } = await expectNo5xx(res, `prechat ${a.slice(0, 40)} ${b.body.slice(0, 100)}`);
          expect(await rowCounts(app.db)).toEqual(before);
          // A bad body may be refused (400, 413) before the token is looked at; a bad token never passes.
          if (a !== `Bearer ${widgetToken}`) expect([400, 401, 413]).toContain(status);
          await expectNo5xx(await call("/api/v1/widget/availability", { headers }), "availability");
        },
      ),
      fcOptions(),
    );
    await expectHealthy(app.url);
  });
});

describe("fuzz: sign-in", () => {
  it("POST /auth/login with hostile bodies: 200 only for the right password, otherwise a 4xx", async () => {
    const body = fc.oneof(
      mangled({
        email: fc.oneof(fc.constant("fuzz-admin@example.com"), fc.emailAddress(), hostileString),
        password: fc.oneof(hostileString, fc.constant("x".repeat(10_000))),
      }).map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
      badBody,
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await call("/api/v1/auth/login", { method: "POST", body: b.body, headers: { "content-type": b.type } });
        const { status } = await expectNo5xx(res, `login ${b.body.slice(0, 120)}`);
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      fcOptions(40),
    );
  });
});

describe("fuzz: attachment uploads", () => {
  it("refuses anything but a real image or PDF within the limit, with a 4xx", async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }),
      fc.constantFrom(
        new Uint8Array(0),
        new TextEncoder().encode("MZ\x90\x00 this is a program"),
        new TextEncoder().encode("%PDF-"),
        new TextEncoder().encode("<svg onload=alert(1)>"),
        new TextEncoder().encode("GIF89a"),
        new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
        new Uint8Array(MAX_ATTACHMENT + 1),
      ),
    );
    const type = fc.constantFrom(
      "application/octet-stream",
      "image/png",
      "multipart/form-data; boundary=x",
      "text/html",
      "application/json",
    );
    const name = fc.option(hostileString, { nil: undefined });
    // Uploads are limited to 20 a minute per customer: a fresh customer every 15 files.
    let uploads = 0;
    let token = widgetToken;
    await fc.assert(
      fc.asyncProperty(bytes, type, name, async (data, contentType, fileName) => {
        if (++uploads % 15 === 0) token = await newWidgetToken();
        const qs = fileName === undefined ? "" : `?name=${enc(fileName)}`;
        const before = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM attachments");
        const res = await call(`/api/v1/widget/attachments${qs}`, {
          method: "POST",
          body: data,
          headers: { authorization: `Bearer ${token}`, "content-type": contentType },
        });
        const { status } = await expectNo5xx(res, `upload ${contentType} ${data.length} bytes`);
        const after = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM attachments");
        if (status >= 400) expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
        else expect(status).toBe(201);
      }),
      fcOptions(40),
    );
    // A body over the limit announced up front, and one that is not (chunked).
    const big = new Uint8Array(MAX_ATTACHMENT * 2);
    const fresh = await newWidgetToken();
    const res = await call("/api/v1/widget/attachments", { method: "POST", body: big, headers: { authorization: `Bearer ${fresh}` } });
    expect(res.status).toBe(413);
    await expectClientError(res, "oversized upload");
    await expectHealthy(app.url);
  });
});

describe("fuzz: conversations API as an agent", () => {
  it("replies, status, assignment and labels with bad bodies and ids: a 4xx, nothing stored", async () => {
    const id = fc.oneof(fc.constant(conversationId), fc.uuid(), hostileString.map(enc));
    const route = fc.constantFrom(
      ["POST", "/messages"],
      ["POST", "/status"],
      ["POST", "/assignment"],
      ["PATCH", ""],
      ["GET", ""],
      ["GET", "/messages?after=-1&limit=1e9"],
    );
    const body = fc.oneof(
      mangled({
        content: fc.oneof(hostileString, fc.constant("x".repeat(5000))),
        private: hostileValue,
        clientId: hostileString,
        status: fc.constantFrom("open", "resolved", "snoozed", "nope"),
        snoozedUntil: fc.oneof(hostileString, fc.integer()),
        assigneeId: fc.oneof(fc.uuid(), hostileString),
        teamId: fc.oneof(fc.uuid(), hostileString),
        priority: hostileString,
        labels: fc.array(hostileString, { maxLength: 30 }),
      }).map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
      badBody,
    );
    await fc.assert(
      fc.asyncProperty(id, route, body, async (cid, [method, suffix], b) => {
        const before = await rowCounts(app.db);
        const res = await asAdmin(method!, `/conversations/${cid}${suffix}`, method === "GET" ? (undefined as never) : b.body, b.type);
        const { status } = await expectNo5xx(res, `${method} /conversations/${cid}${suffix} ${b.body.slice(0, 120)}`);
        // Agents' replies are outgoing: the customer-side counts never move.
        expect(await rowCounts(app.db)).toEqual(before);
        if (status < 400 && method === "POST" && suffix === "/messages") {
          const { rows } = await app.db.query<{ content: string }>(
            "SELECT content FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1",
            [conversationId],
          );
          expect(rows[0]!.content.trim().length).toBeGreaterThan(0);
        }
      }),
      fcOptions(),
    );
    await expectHealthy(app.url);
  });

  it("list and search queries with hostile parameters: never a 5xx", async () => {
    const param = fc.constantFrom(
      "view",
      "status",
      "teamId",
      "inboxId",
      "label",
      "priority",
      "sentiment",
      "contactId",
      "q",
      "limit",
      "offset",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(param, hostileString), { maxLength: 4 }), async (pairs) => {
        const qs = new URLSearchParams(pairs).toString();
        const res = await asAdmin("GET", `/conversations?${qs}`, undefined as never);
        await expectNo5xx(res, `GET /conversations?${qs}`);
      }),
      fcOptions(),
    );
  });

  it("refuses writes without the session or the CSRF token", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { cookie: admin.cookie },
      { cookie: "bd_session=%E0%A4%A" },
      { cookie: admin.cookie, "x-csrf-token": "x" },
    ]) {
      const res = await call(`/api/v1/conversations/${conversationId}/messages`, {
        method: "POST",
        body: JSON.stringify({ content: "hi" }),
        headers: { "content-type": "application/json", ...headers },
      });
      expect([401, 403]).toContain(res.status);
      await expectClientError(res, "no session");
    }
  });
});

describe("fuzz: admin API with bad bodies", () => {
  it("agents, teams, inboxes, canned responses and labels: never a 5xx", async () => {
    const target = fc.constantFrom(
      ["POST", "/admin/agents"],
      ["POST", "/admin/teams"],
      ["POST", "/admin/inboxes"],
      ["POST", "/admin/canned-responses"],
      ["POST", "/admin/labels"],
      ["PATCH", "/admin/agents/00000000-0000-4000-8000-000000000000"],
      ["PATCH", "/admin/inboxes/not-a-uuid"],
      ["PUT", "/channels/inboxes/website/config"],
    );
    const body = fc.oneof(
      mangled({
        email: fc.oneof(fc.emailAddress(), hostileString),
        name: hostileString,
        role: fc.constantFrom("admin", "agent", "content", "root"),
        password: hostileString,
        teamIds: fc.array(fc.oneof(fc.uuid(), hostileString), { maxLength: 3 }),
        slug: hostileString,
        channel: fc.constantFrom("web", "email", "fax"),
        settings: hostileValue,
        shortCode: hostileString,
        content: hostileString,
        color: hostileString,
      }).map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
      badBody,
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ([method, path], b) => {
        const res = await asAdmin(method!, path!, b.body, b.type);
        await expectNo5xx(res, `${method} ${path} ${b.body.slice(0, 160)}`);
      }),
      fcOptions(),
    );
    await expectHealthy(app.url);
  });

  it("unknown routes and methods are a 404 in the error shape", async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH"), async (p, method) => {
        const res = await call(`/api/v1/zz${p}`, { method });
        await expectClientError(res, `${method} /api/v1/zz${p}`);
      }),
      fcOptions(30),
    );
  });
});

/** The property names a JSON Schema of the OpenAPI document names anywhere (nested objects, anyOf branches, array items). */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== "object") return into;
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && value && typeof value === "object") for (const name of Object.keys(value)) into.add(name);
    propertyNames(value, into);
  }
  return into;
}

describe("fuzz: every write route of the OpenAPI document", () => {
  it("hostile bodies (the route's own field names with wrong values) and ids, as an admin: never a 5xx, the server serves on", async () => {
    type Operation = { requestBody?: { content?: Record<string, { schema?: unknown }> } };
    const doc = (await (await call("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    // Signing out would end the fuzzer's own session; everything else, new routes included, is fuzzed.
    const skipped = new Set(["post /api/v1/auth/logout"]);
    const routes = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ["post", "put", "patch", "delete"].includes(method) && !skipped.has(`${method} ${route}`))
        .map(([method, op]) => ({ method: method.toUpperCase(), route, fields: [...propertyNames(op.requestBody?.content)] })),
    );
    // The routes this fuzzer was written for, and those added since (security keys, two-factor, cases, retention, segments…).
    expect(routes.length).toBeGreaterThan(60);
    const id = fc.oneof(
      fc.constant("00000000-0000-4000-8000-000000000000"),
      fc.constant(conversationId),
      fc.uuid(),
      hostileString.map(enc),
    );
    const route = fc.constantFrom(...routes).chain((r) =>
      fc.record({
        r: fc.constant(r),
        path: fc
          .tuple(id, fc.constantFrom("website", "nope"))
          .map(([i, inbox]) => r.route.replace("{inbox}", inbox).replace(/\{[^}]+\}/g, i)),
        body: fc.oneof(
          mangled(Object.fromEntries(r.fields.map((f) => [f, hostileValue]))).map((b) => ({
            body: JSON.stringify(b),
            type: "application/json",
          })),
          badBody,
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(route, async ({ r, path, body }) => {
        const res = await call(path, {
          method: r.method,
          body: body.body,
          headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": body.type },
        });
        await expectNo5xx(res, `${r.method} ${path} ${body.body.slice(0, 160)}`);
        // Requiring two-factor sign-in of all staff would shut the fuzzer's admin out of the routes after it.
        if (r.route.endsWith("/admin/organisation"))
          await app.db.query("UPDATE organisation_settings SET require_staff_two_factor = false");
      }),
      fcOptions(250),
    );
    await expectHealthy(app.url);
  });

  it("the sign-in steps with hostile bodies, signed out: never a session, never a 5xx", async () => {
    const step = fc.constantFrom(
      "/api/v1/auth/login/two-factor",
      "/api/v1/auth/login/security-key/options",
      "/api/v1/auth/login/security-key",
    );
    const body = fc.oneof(
      mangled({
        challenge: fc.oneof(hostileString, fc.stringMatching(/^[0-9a-f]{64}$/)),
        code: fc.oneof(fc.stringMatching(/^\d{6}$/), hostileString),
        recoveryCode: hostileString,
        email: fc.oneof(fc.constant("fuzz-admin@example.com"), hostileString),
        response: fc.oneof(
          hostileValue,
          mangled({ id: hostileString, rawId: hostileString, type: fc.constant("public-key"), response: hostileValue }),
        ),
      }).map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
      badBody,
    );
    await fc.assert(
      fc.asyncProperty(step, body, async (path, b) => {
        const res = await call(path, { method: "POST", body: b.body, headers: { "content-type": b.type } });
        await expectNo5xx(res, `${path} ${b.body.slice(0, 160)}`);
        expect(res.headers.get("set-cookie") ?? "").not.toMatch(/bd_session=[^;]/);
      }),
      fcOptions(60),
    );
  });
});
