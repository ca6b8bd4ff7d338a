import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  callApi,
  connectWidget,
  demoIdentityHash,
  emitAck,
  nextEvent,
  pageIdentityOnly,
  signInAgent,
  startTestApp,
  type Json,
  type TestApp,
} from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { SecretBox } from "../../server/security/secretBox.ts";
import { resealSecrets } from "../../server/commands/resealSecrets.ts";
import { sealedSecrets } from "../../server/modules.ts";
import { openToolSecret } from "../../server/customTools/customToolStore.ts";

/**
 * The bank's own tools (issue #16 §2) through the whole server: defined and versioned
 * through the admin API, tried from it, and used by the assistant in widget
 * conversations — against a real HTTP server on a free port standing in for the
 * bank's systems (a delivery tracker, an appointment service, a slow and a broken one).
 */

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let bank: http.Server;
let bankUrl: string;
const seen: Seen[] = [];
let app: TestApp;
let admin: { cookie: string; csrf: string };
let agent: { cookie: string; csrf: string };
const TOKEN = "tracker-token-Zq8Kp2";

beforeAll(async () => {
  bank = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://bank");
      seen.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body });
      const json = (status: number, data: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
      const delivery = /^\/customers\/([^/]+)\/card-deliveries\/([^/]+)$/.exec(url.pathname);
      if (delivery) {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: "unauthorised" });
        return json(200, { status: "out for delivery", carrier: "SF Express", eta: "2026-12-09", ref: decodeURIComponent(delivery[2]!) });
      }
      if (url.pathname === "/appointments" && req.method === "POST") return json(201, { reference: "APT-7731", slot: "10:30" });
      if (url.pathname === "/callbacks" && req.method === "POST") return json(201, { reference: "CB-2048" });
      if (url.pathname === "/slow") return void setTimeout(() => json(200, { status: "late" }), 3000);
      if (url.pathname === "/broken") return json(500, { error: "database down", customer: "C-1001" });
      if (url.pathname === "/redirect") return void res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      json(404, { error: "no such route" });
    });
  });
  await new Promise<void>((r) => bank.listen(0, "127.0.0.1", () => r()));
  bankUrl = `http://127.0.0.1:${(bank.address() as AddressInfo).port}`;
  // 127.0.0.2 is on the tools' host list but not on OUTBOUND_ALLOW: the SSRF guard must stop it.
  app = await startTestApp({ env: { CUSTOM_TOOL_HOSTS: "127.0.0.1,127.0.0.2", OUTBOUND_ALLOW: "127.0.0.1" } });
  await pageIdentityOnly(app);
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "tools-admin@bank.example",
    name: "Tools Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "tools-agent@bank.example",
    name: "Tools Agent",
    role: "agent",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "tools-admin@bank.example", "correct-horse-battery");
  agent = await signInAgent(app, "tools-agent@bank.example", "correct-horse-battery");
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => (bank ? bank.close(() => r()) : r()));
});
beforeEach(() => {
  seen.length = 0;
});

const call = (who: { cookie: string; csrf: string }, method: string, path: string, body?: unknown) => callApi(app, who, method, path, body);

const tracker = (over: Record<string, unknown> = {}) => ({
  name: "track_card_delivery",
  description: "Where the customer's new or replacement card is in the post, by its tracking number.",
  label: { en: "track your card delivery", zh: "查询卡片寄送进度" },
  parameters: {
    type: "object",
    properties: { trackingNumber: { type: "string", title: "the tracking number on your card letter", pattern: "^[A-Z]{2}\\d{8}$" } },
    required: ["trackingNumber"],
  },
  method: "GET",
  url: `${bankUrl}/customers/{customerId}/card-deliveries/{trackingNumber}`,
  auth: { kind: "bearer" },
  responseTemplate: {
    en: "Your card is {{status}} with {{carrier}}; expected {{eta}}.",
    zh: "您的卡片{{status}}，承运商 {{carrier}}，预计 {{eta}} 送达。",
  },
  requiresVerifiedCustomer: true,
  changesSomething: false,
  triggers: { intents: [], keywords: ["card delivery", "卡片寄送"] },
  timeoutMs: 2000,
  ...over,
});

const appointment = () => ({
  name: "book_branch_appointment",
  description: "Book a branch appointment for the customer on a given date.",
  label: { en: "book a branch appointment", zh: "预约网点办理" },
  parameters: {
    type: "object",
    properties: { date: { type: "string", title: "the date (YYYY-MM-DD)", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } },
    required: ["date"],
  },
  method: "POST",
  url: `${bankUrl}/appointments`,
  auth: { kind: "header", header: "X-Api-Key" },
  responseTemplate: { en: "Booked: reference {{reference}} at {{slot}}.", zh: "已预约：编号 {{reference}}，时间 {{slot}}。" },
  requiresVerifiedCustomer: true,
  changesSomething: true,
  triggers: { intents: [], keywords: ["appointment", "预约"] },
  timeoutMs: 2000,
});

type Msg = {
  id: string;
  conversationId: string;
  content: string;
  private?: boolean;
  sender: { type: string };
  attributes: Json;
};
type Socket = Awaited<ReturnType<typeof connectWidget>>["socket"];

async function customer(id?: string): Promise<Socket> {
  return (await connectWidget(app, id ? { userId: id, identityHash: await demoIdentityHash(app.ctx, id) } : {})).socket;
}

async function ask(socket: Socket, content: string, conversationId?: string) {
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private);
  const ack = await emitAck<{ ok: boolean; message?: Msg }>(socket, "message:send", {
    conversationId,
    clientId: crypto.randomUUID(),
    content,
  });
  expect(ack.ok).toBe(true);
  return { conversationId: ack.message!.conversationId, reply: await botReply };
}

/** The assistant's trace of a reply (agents see it; the customer's widget does not). */
async function traceOf(messageId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await app.db.query<{ trace: Array<Record<string, unknown>> }>(
    "SELECT content_attributes->'trace' AS trace FROM messages WHERE id = $1",
    [messageId],
  );
  return rows[0]?.trace ?? [];
}

let trackerId: string;

describe("defining tools", () => {
  it("refuses a bad definition with the field at fault, and a non-admin", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: "Track-Card" }, "name"],
      [{ name: "balance" }, "name"],
      [{ parameters: { type: "object", properties: { list: { type: "array" } }, required: [] } }, "parameters.properties.list"],
      [{ parameters: { type: "object", properties: {}, required: ["trackingNumber"] } }, "parameters.required"],
      [{ parameters: { type: "object", properties: { n: { type: "string", pattern: "([" } } } }, "parameters.properties.n.pattern"],
      [{ url: `${bankUrl}/deliveries/{parcel}` }, "url"],
      [{ url: "http://{host}/x" }, "url"],
      [{ url: "https://example.com/deliveries/{trackingNumber}" }, "url"],
      [{ requiresVerifiedCustomer: false }, "url"],
      [{ responseTemplate: { en: "{{ status | upper }}", zh: "x" } }, "responseTemplate.en"],
      [{ timeoutMs: 60_000 }, "timeoutMs"],
    ];
    for (const [over, path] of cases) {
      const r = await call(admin, "POST", "/admin/tools", { definition: tracker(over), secret: TOKEN });
      expect(r.status, JSON.stringify(over)).toBe(400);
      const paths: string[] = r.body.error.details.map((d: { path: string }) => d.path);
      expect(
        paths.some((p) => p.startsWith(path)),
        `${JSON.stringify(over)}: ${paths.join(", ")}`,
      ).toBe(true);
    }
    const noSecret = await call(admin, "POST", "/admin/tools", { definition: tracker() });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details[0].path).toBe("secret");
    expect((await call(agent, "POST", "/admin/tools", { definition: tracker(), secret: TOKEN })).status).toBe(403);
    expect((await call(agent, "GET", "/admin/tools")).status).toBe(403);
  });

  it("creates a tool with its secret sealed, refuses the name twice, and versions every edit on the audit log", async () => {
    const created = await call(admin, "POST", "/admin/tools", { definition: tracker({ timeoutMs: 1500 }), secret: TOKEN });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "track_card_delivery", version: 1, enabled: true, secretStored: true });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    trackerId = created.body.id;
    const { rows } = await app.db.query<{ auth_secret: string }>("SELECT auth_secret FROM custom_tool_versions WHERE tool_id = $1", [
      trackerId,
    ]);
    expect(rows[0]!.auth_secret).toMatch(/^sealed:v1:/);

    expect((await call(admin, "POST", "/admin/tools", { definition: tracker(), secret: TOKEN })).status).toBe(409);

    // The edit keeps the stored secret and may not rename the tool.
    const edited = await call(admin, "PUT", `/admin/tools/${trackerId}`, { definition: tracker() });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, secretStored: true });
    expect((await call(admin, "PUT", `/admin/tools/${trackerId}`, { definition: tracker({ name: "other_name" }) })).status).toBe(400);

    const one = await call(admin, "GET", `/admin/tools/${trackerId}`);
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const audit = await app.db.query<{ action: string; data: Json }>(
      "SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY id",
      [trackerId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["custom_tool.create", "custom_tool.update"]);
    expect(audit.rows[1]!.data.changes).toEqual({ timeoutMs: { from: 1500, to: 2000 } });
    expect(JSON.stringify(audit.rows)).not.toContain(TOKEN);

    const appt = await call(admin, "POST", "/admin/tools", { definition: appointment(), secret: "appt-key-44" });
    expect(appt.status, JSON.stringify(appt.body)).toBe(201);
  });
});

describe("the tools' secrets", () => {
  it("are re-encrypted by a key rotation like every stored secret", async () => {
    const oldKey = app.ctx.config.SECRET_KEY!;
    const newKey = "n".repeat(40);
    const report = await resealSecrets({ ...app.ctx, secrets: new SecretBox(newKey, [oldKey]) }, sealedSecrets);
    expect(report.unreadable).toEqual([]);
    const { rows } = await app.db.query<{ auth_secret: string }>(
      "SELECT auth_secret FROM custom_tool_versions WHERE tool_id = $1 ORDER BY version",
      [trackerId],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(openToolSecret(new SecretBox(newKey), r.auth_secret)).toBe(TOKEN);
    // Back to the process's key for the rest of the file.
    await resealSecrets({ ...app.ctx, secrets: new SecretBox(oldKey, [newKey]) }, sealedSecrets);
  });
});

describe("trying a tool from the console", () => {
  it("performs the call with the stored secret and shows the rendered reply", async () => {
    const r = await call(admin, "POST", `/admin/tools/${trackerId}/try`, {
      params: { trackingNumber: "SF12345678" },
      customerId: "C 1001/x",
      language: "zh",
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, status: 200, reply: "您的卡片out for delivery，承运商 SF Express，预计 2026-12-09 送达。" });
    // Values are URL-encoded into their placeholders: a "/" cannot add a path segment.
    expect(seen[0]!.path).toBe("/customers/C%201001%2Fx/card-deliveries/SF12345678");
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("shows why an input, a template field or the service failed", async () => {
    const bad = await call(admin, "POST", `/admin/tools/${trackerId}/try`, { params: { trackingNumber: "nope" }, customerId: "C-1001" });
    expect(bad.body).toMatchObject({ ok: false, failure: "invalid_input" });
    expect(seen).toHaveLength(0);

    const missingField = await call(admin, "PUT", `/admin/tools/${trackerId}`, {
      definition: tracker({ responseTemplate: { en: "Arrives {{delivery.eta}}", zh: "预计 {{delivery.eta}}" } }),
    });
    expect(missingField.status).toBe(200);
    const r = await call(admin, "POST", `/admin/tools/${trackerId}/try`, {
      params: { trackingNumber: "SF12345678" },
      customerId: "C-1001",
    });
    expect(r.body).toMatchObject({ ok: false, failure: "bad_response", status: 200 });
    expect(r.body.message).toContain("delivery.eta");
    // Back to the working template (version 4).
    expect((await call(admin, "PUT", `/admin/tools/${trackerId}`, { definition: tracker() })).body.version).toBe(4);
  });

  it("refuses an address the SSRF guard forbids at send time, and a redirect, without following it", async () => {
    const port = new URL(bankUrl).port;
    const internal = await call(admin, "POST", "/admin/tools", {
      definition: {
        ...tracker(),
        name: "internal_probe",
        auth: { kind: "none" },
        url: `http://127.0.0.2:${port}/customers/{customerId}/x/{trackingNumber}`,
        triggers: { intents: [], keywords: [] },
      },
    });
    expect(internal.status).toBe(201);
    const r = await call(admin, "POST", `/admin/tools/${internal.body.id}/try`, {
      params: { trackingNumber: "SF12345678" },
      customerId: "C-1001",
    });
    expect(r.body).toMatchObject({ ok: false, failure: "blocked_destination" });

    const redirect = await call(admin, "POST", "/admin/tools", {
      definition: {
        ...tracker(),
        name: "redirecting",
        auth: { kind: "none" },
        requiresVerifiedCustomer: false,
        url: `${bankUrl}/redirect?n={trackingNumber}`,
        triggers: { intents: [], keywords: [] },
      },
    });
    const rr = await call(admin, "POST", `/admin/tools/${redirect.body.id}/try`, { params: { trackingNumber: "SF12345678" } });
    expect(rr.body).toMatchObject({ ok: false, failure: "redirect", status: 302 });
    expect(seen.map((s) => s.path)).toEqual(["/redirect?n=SF12345678"]);
  });

  it("gives up on a slow service at the tool's time-out", async () => {
    const slow = await call(admin, "POST", "/admin/tools", {
      definition: {
        ...tracker(),
        name: "slow_service",
        auth: { kind: "none" },
        requiresVerifiedCustomer: false,
        url: `${bankUrl}/slow?n={trackingNumber}`,
        timeoutMs: 500,
        triggers: { intents: [], keywords: [] },
      },
    });
    const t0 = Date.now();
    const r = await call(admin, "POST", `/admin/tools/${slow.body.id}/try`, { params: { trackingNumber: "SF12345678" } });
    expect(r.body).toMatchObject({ ok: false, failure: "timeout" });
    expect(Date.now() - t0).toBeLessThan(2500);
  });
});

describe("the assistant using the bank's tools", () => {
  it("answers a verified customer through the tool, reading the tracking number from the message", async () => {
    const socket = await customer("C-1001");
    const { reply, conversationId } = await ask(socket, "Where is my card delivery? The tracking number is SF87654321");
    expect(reply.content).toBe("Your card is out for delivery with SF Express; expected 2026-12-09.");
    expect(seen.map((s) => s.path)).toEqual(["/customers/C-1001/card-deliveries/SF87654321"]);
    const trace = await traceOf(reply.id);
    expect(trace.find((t) => t.step === "tool")).toMatchObject({
      tool: "custom:track_card_delivery",
      version: 4,
      outcome: "ok",
      status: 200,
    });
    expect(JSON.stringify(trace)).not.toContain("SF87654321");
    socket.disconnect();

    // Every call is audited: tool, version, conversation, outcome, status, duration — no inputs, no response.
    const { rows } = await app.db.query<{ actor_type: string; data: Record<string, unknown> }>(
      "SELECT actor_type, data FROM audit_log WHERE action = 'custom_tool.called' AND data->>'conversationId' = $1",
      [conversationId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_type).toBe("bot");
    expect(Object.keys(rows[0]!.data).sort()).toEqual(["conversationId", "durationMs", "outcome", "status", "tool", "version"]);
    expect(rows[0]!.data).toMatchObject({ tool: "track_card_delivery", version: 4, outcome: "ok", status: 200 });
  });

  it("asks for a missing input, then answers in the customer's language", async () => {
    const socket = await customer("C-1002");
    const first = await ask(socket, "我的卡片寄送到哪里了？");
    expect(first.reply.content).toContain("为了查询卡片寄送进度");
    expect(seen).toHaveLength(0);
    const wrong = await ask(socket, "不知道", first.conversationId);
    expect(wrong.reply.content).toContain("这似乎不是有效的");
    const second = await ask(socket, "SF11112222", first.conversationId);
    expect(second.reply.content).toBe("您的卡片out for delivery，承运商 SF Express，预计 2026-12-09 送达。");
    expect(seen.map((s) => s.path)).toEqual(["/customers/C-1002/card-deliveries/SF11112222"]);
    socket.disconnect();
  });

  it("asks for a one-time code first when the inbox's step-up settings say so, then answers once it is entered", async () => {
    await app.db.query(
      `UPDATE inboxes SET settings = settings || '{"stepUp": {"low": "identity", "medium": "code", "high": "code", "channel": "demo_phone", "validMinutes": 10}}'::jsonb WHERE slug = 'website'`,
    );
    try {
      const socket = await customer("C-1001");
      const asked = await ask(socket, "where is my card delivery? SF12345678");
      expect(asked.reply.attributes.kind).toBe("step_up");
      expect(seen).toHaveLength(0);
      const texts = ((await (await fetch(`${app.url}/api/v1/demo/phone?userId=C-1001`)).json()) as { texts: Array<{ text: string }> })
        .texts;
      // The code names the action as the customer reads it: the tool's label, not its snake_case name.
      expect(texts[0]!.text).toContain("your code to track your card delivery in our chat");
      expect(asked.reply.content).toContain("track your card delivery");
      // A resent code names it the same way (resends are 30 seconds apart: the first send moved back).
      await app.db.query("UPDATE step_up_challenges SET sent_at = now() - interval '31 seconds' WHERE id = $1", [
        asked.reply.attributes.stepUp.id,
      ]);
      const resent = await emitAck<{ ok: boolean }>(socket, "stepup:resend", {
        conversationId: asked.conversationId,
        challengeId: asked.reply.attributes.stepUp.id,
      });
      expect(resent.ok).toBe(true);
      const again = ((await (await fetch(`${app.url}/api/v1/demo/phone?userId=C-1001`)).json()) as { texts: Array<{ text: string }> })
        .texts;
      expect(again).toHaveLength(texts.length + 1);
      expect(again[0]!.text).toContain("your code to track your card delivery in our chat");
      const code = /\b(\d{6})\b/.exec(again[0]!.text)![1]!;
      // Agents see the code under way named the same way (the console's customer panel).
      const verification = await call(admin, "GET", `/conversations/${asked.conversationId}/verification`);
      expect(verification.body.pending).toMatchObject({
        purpose: "custom:track_card_delivery",
        action: "track your card delivery",
        status: "pending",
      });
      const resumed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private && m.content.includes("SF Express"));
      const ok = await emitAck<{ ok: boolean; outcome?: string }>(socket, "stepup:verify", {
        conversationId: asked.conversationId,
        challengeId: asked.reply.attributes.stepUp.id,
        code,
      });
      expect(ok).toMatchObject({ ok: true, outcome: "verified" });
      expect((await resumed).content).toMatch(/confirmed\.\n\nYour card is out for delivery with SF Express; expected 2026-12-09\.$/);
      // The agents' note names the action as the customer read it, too.
      const note = await app.db.query<{ content: string }>(
        "SELECT content FROM messages WHERE conversation_id = $1 AND private AND content_attributes->>'kind' = 'step_up_verified'",
        [asked.conversationId],
      );
      expect(note.rows[0]!.content).toMatch(/, to track your card delivery\.$/);
      expect(seen.map((x) => x.path)).toEqual(["/customers/C-1001/card-deliveries/SF12345678"]);
      socket.disconnect();
    } finally {
      await pageIdentityOnly(app);
    }
  });

  it("asks for a code again, naming the tool by its label, when the step-up lapsed before the yes", async () => {
    await app.db.query(
      `UPDATE inboxes SET settings = settings || '{"stepUp": {"low": "identity", "medium": "identity", "high": "code", "channel": "demo_phone", "validMinutes": 10}}'::jsonb WHERE slug = 'website'`,
    );
    try {
      const socket = await customer("C-1001");
      const asked = await ask(socket, "I'd like a branch appointment on 2026-12-21 please");
      expect(asked.reply.attributes.kind).toBe("step_up");
      const texts = async () =>
        ((await (await fetch(`${app.url}/api/v1/demo/phone?userId=C-1001`)).json()) as { texts: Array<{ text: string }> }).texts;
      const code = /\b(\d{6})\b/.exec((await texts())[0]!.text)![1]!;
      const proposed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private && m.content.includes("Shall I"));
      await emitAck(socket, "stepup:verify", { conversationId: asked.conversationId, challengeId: asked.reply.attributes.stepUp.id, code });
      expect((await proposed).content).toContain("book a branch appointment");
      // The verification's window passes before the customer says yes.
      await app.db.query("UPDATE step_up_challenges SET verified_at = now() - interval '1 hour' WHERE conversation_id = $1", [
        asked.conversationId,
      ]);
      const again = await ask(socket, "yes", asked.conversationId);
      expect(again.reply.attributes.kind).toBe("step_up");
      expect(again.reply.content).toContain("book a branch appointment");
      expect((await texts())[0]!.text).toContain("your code to book a branch appointment in our chat");
      expect(seen).toHaveLength(0);
      socket.disconnect();
    } finally {
      await pageIdentityOnly(app);
    }
  });

  it("does not call a verified-only tool for an anonymous visitor", async () => {
    const socket = await customer();
    const { reply } = await ask(socket, "where is my card delivery? SF12345678");
    expect(reply.content).toMatch(/sign in/i);
    expect(seen).toHaveLength(0);
    socket.disconnect();
  });

  it("asks which tool the customer meant when the message fits several, and keeps the message's inputs", async () => {
    const socket = await customer("C-1001");
    const which = await ask(socket, "need an appointment about my card delivery, tracking SF87654321");
    // Numbered in the text too: SMS, WhatsApp and e-mail show no buttons.
    expect(which.reply.content).toBe(
      "Which of these would you like me to do? Reply with its number or tap it.\n1. book a branch appointment\n2. track your card delivery",
    );
    const choices = which.reply.attributes.quickReplies as Array<{ label: string; text: string }>;
    expect(choices.map((c) => c.label).sort()).toEqual(["Talk to a person", "book a branch appointment", "track your card delivery"]);
    expect(seen).toHaveLength(0);
    // The tap sends the label; the tracking number of the first message still counts.
    const done = await ask(socket, choices.find((c) => c.label === "track your card delivery")!.text, which.conversationId);
    expect(done.reply.content).toBe("Your card is out for delivery with SF Express; expected 2026-12-09.");
    expect(seen.map((x) => x.path)).toEqual(["/customers/C-1001/card-deliveries/SF87654321"]);
    socket.disconnect();
  });

  it("asks which tool in Chinese too, and takes the option's number as the answer", async () => {
    const socket = await customer("C-1001");
    const which = await ask(socket, "我想预约网点，顺便问下卡片寄送到哪了 SF11223344");
    expect(which.reply.content).toBe("请问您想办理以下哪一项？请回复序号或直接点选。\n1. 预约网点办理\n2. 查询卡片寄送进度");
    const choices = which.reply.attributes.quickReplies as Array<{ label: string; text: string }>;
    expect(choices.map((c) => c.label).slice(0, 2)).toEqual(["预约网点办理", "查询卡片寄送进度"]);
    expect(seen).toHaveLength(0);
    const done = await ask(socket, "2", which.conversationId);
    expect(done.reply.content).toBe("您的卡片out for delivery，承运商 SF Express，预计 2026-12-09 送达。");
    expect(seen.map((x) => x.path)).toEqual(["/customers/C-1001/card-deliveries/SF11223344"]);
    socket.disconnect();
  });

  it("carries the inputs the customer already gave through the step-up: a phone number masked in the text, a tracking number given before a choice", async () => {
    const callback = {
      name: "request_callback",
      description: "Arrange for the bank to call the customer back on a mobile number.",
      label: { en: "arrange a call back", zh: "预约回电" },
      parameters: {
        type: "object",
        properties: { phone: { type: "string", title: "the mobile number to call", pattern: "^1\\d{10}$" } },
        required: ["phone"],
      },
      method: "POST",
      url: `${bankUrl}/callbacks`,
      auth: { kind: "none" },
      responseTemplate: { en: "We'll call you back: reference {{reference}}.", zh: "我们会给您回电，编号 {{reference}}。" },
      requiresVerifiedCustomer: true,
      changesSomething: true,
      triggers: { intents: [], keywords: ["call me back", "回电"] },
      timeoutMs: 2000,
    };
    expect((await call(admin, "POST", "/admin/tools", { definition: callback })).status).toBe(201);
    await app.db.query(
      `UPDATE inboxes SET settings = settings || '{"stepUp": {"low": "identity", "medium": "code", "high": "code", "channel": "demo_phone", "validMinutes": 10}}'::jsonb WHERE slug = 'website'`,
    );
    const latestCode = async () => {
      const { texts } = (await (await fetch(`${app.url}/api/v1/demo/phone?userId=C-1001`)).json()) as { texts: Array<{ text: string }> };
      return /\b(\d{6})\b/.exec(texts[0]!.text)![1]!;
    };
    const verify = async (socket: Socket, asked: Awaited<ReturnType<typeof ask>>, expect: string) => {
      const resumed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private && m.content.includes(expect));
      const ok = await emitAck<{ ok: boolean }>(socket, "stepup:verify", {
        conversationId: asked.conversationId,
        challengeId: asked.reply.attributes.stepUp.id,
        code: await latestCode(),
      });
      return { ok: ok.ok, resumed: await resumed };
    };
    try {
      // The phone number is masked in what the assistant keeps of the message ("[phone]"), yet not asked for again.
      const socket = await customer("C-1001");
      const asked = await ask(socket, "please call me back on 13800138000");
      expect(asked.reply.attributes.kind).toBe("step_up");
      const { ok, resumed } = await verify(socket, asked, "Shall I");
      expect(ok).toBe(true);
      expect(resumed.content).toMatch(/confirmed\.\n\nShall I arrange a call back for you\?\n- the mobile number to call: 13800138000$/);
      const done = await ask(socket, "yes", asked.conversationId);
      expect(done.reply.content).toBe("We'll call you back: reference CB-2048.");
      expect(seen.map((x) => [x.path, JSON.parse(x.body)])).toEqual([["/callbacks", { phone: "13800138000" }]]);
      socket.disconnect();

      // A choice first, then the step-up: the tracking number of the first message still counts after the code.
      seen.length = 0;
      const second = await customer("C-1001");
      const which = await ask(second, "need an appointment about my card delivery, tracking SF87654321");
      expect(which.reply.content).toMatch(/^Which of these would you like me to do\?/);
      const stepUp = await ask(second, "track your card delivery", which.conversationId);
      expect(stepUp.reply.attributes.kind).toBe("step_up");
      const tracked = await verify(second, stepUp, "SF Express");
      expect(tracked.resumed.content).toMatch(/Your card is out for delivery with SF Express; expected 2026-12-09\.$/);
      expect(seen.map((x) => x.path)).toEqual(["/customers/C-1001/card-deliveries/SF87654321"]);
      second.disconnect();
    } finally {
      await pageIdentityOnly(app);
    }
  });

  it("asks the customer to confirm a change before calling, then calls once with an idempotency key (audited)", async () => {
    const socket = await customer("C-1001");
    const proposed = await ask(socket, "I'd like a branch appointment on 2026-12-20 please");
    expect(proposed.reply.content).toContain("Shall I book a branch appointment for you?");
    expect(proposed.reply.content).toContain("2026-12-20");
    expect(seen).toHaveLength(0);
    const done = await ask(socket, "yes", proposed.conversationId);
    expect(done.reply.content).toBe("Booked: reference APT-7731 at 10:30.");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("POST");
    expect(JSON.parse(seen[0]!.body)).toEqual({ date: "2026-12-20" });
    expect(seen[0]!.headers["x-api-key"]).toBe("appt-key-44");
    expect(seen[0]!.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    socket.disconnect();

    const { rows } = await app.db.query<{ action: string; data: Record<string, unknown> }>(
      "SELECT action, data FROM audit_log WHERE data->>'conversationId' = $1 ORDER BY id",
      [proposed.conversationId],
    );
    expect(rows.map((r) => r.action)).toEqual(["custom_tool.called", "banking.custom_tool.book_branch_appointment"]);
    expect(JSON.stringify(rows)).not.toMatch(/2026-12-20|APT-7731|appt-key-44/);
  });

  it("says so and hands off when the tool fails, instead of answering", async () => {
    expect(
      (
        await call(admin, "PUT", `/admin/tools/${trackerId}`, {
          definition: tracker({ url: `${bankUrl}/broken?c={customerId}&t={trackingNumber}` }),
        })
      ).status,
    ).toBe(200);
    const socket = await customer("C-1001");
    const { reply, conversationId } = await ask(socket, "where is my card delivery? SF12345678");
    expect(reply.content).toContain("I couldn't track your card delivery just now");
    expect(reply.attributes).toMatchObject({ kind: "handoff", reason: "tool_failed" });
    const c = await app.db.query<{ status: string; handoff_reason: string }>(
      "SELECT status, handoff_reason FROM conversations WHERE id = $1",
      [conversationId],
    );
    expect(c.rows[0]).toEqual({ status: "open", handoff_reason: "tool_failed" });
    socket.disconnect();

    // The audit log holds outcomes only: no tracking number, customer id, token or response anywhere.
    const all = await app.db.query(
      "SELECT action, data FROM audit_log WHERE action LIKE 'custom_tool.%' OR action LIKE 'banking.custom_tool.%'",
    );
    const text = JSON.stringify(all.rows);
    expect(text).toContain('"outcome":"http_error"');
    for (const secret of ["SF12345678", "SF87654321", "SF11112222", "C-1001", "C-1002", TOKEN, "database down", "out for delivery"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("stops using a tool whose latest version is disabled", async () => {
    const off = await call(admin, "PUT", `/admin/tools/${trackerId}`, { definition: tracker(), enabled: false });
    expect(off.body).toMatchObject({ enabled: false });
    const socket = await customer("C-1001");
    const { reply } = await ask(socket, "where is my card delivery? SF12345678");
    expect((await traceOf(reply.id)).some((t) => t.tool === "custom:track_card_delivery")).toBe(false);
    expect(seen).toHaveLength(0);
    socket.disconnect();
  });
});
