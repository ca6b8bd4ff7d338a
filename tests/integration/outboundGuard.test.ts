import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { configureChannel } from "../../server/channels/commands/configureChannel.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { createOutboundHttp } from "../../server/security/outboundHttp.ts";
import { sealWebhookSecret } from "../../server/webhooks/webhookSecrets.ts";
import { eventually, startRecorder, type Recorder } from "./channels/channelHelpers.ts";

/**
 * SSRF (security finding 4): outgoing webhooks, the API channel's webhook and the
 * providers' base URLs may not reach loopback, private, link-local or reserved
 * addresses, however written, nor be redirected there; the receiver's answer is
 * never stored where staff read it. The app runs with the default policy
 * (OUTBOUND_ALLOW empty); the receiver listens on 127.0.0.1, where it must stay unreached.
 */
let app: TestApp;
let receiver: Recorder;
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  receiver = await startRecorder();
  app = await startTestApp({ env: { OUTBOUND_ALLOW: "", WEBHOOK_DELIVERY_ATTEMPTS: "2", WEBHOOK_DELIVERY_BACKOFF_MS: "20" } });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "ssrf-admin@bank.example",
    name: "SSRF Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "ssrf-admin@bank.example", "correct-horse-battery");
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });

describe("outgoing requests to internal addresses", () => {
  it("refuses a webhook URL that names an internal address, in any spelling", async () => {
    const port = new URL(receiver.url).port;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0x7f.0.0.1:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.8/",
      `http://localhost:${port}/hook`,
    ]) {
      const res = await api("POST", "/webhooks", { url, events: ["conversation.created"] });
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, url).toMatch(/^url /);
    }
    const hooks = (await (await api("GET", "/webhooks")).json()) as { items: unknown[] };
    expect(hooks.items).toEqual([]);
  });

  it("refuses the API channel's webhook URL pointing inside", async () => {
    const inbox = await createInbox(app.ctx, {
      actor: SYSTEM,
      slug: "ssrf-app",
      name: "App",
      channel: "api",
      settings: { botEnabled: false },
    });
    await expect(
      configureChannel(app.ctx, {
        actor: SYSTEM,
        inbox: inbox.id,
        config: { webhookUrl: `${receiver.url}/app`, webhookSecret: "s".repeat(32) },
      }),
    ).rejects.toThrow(/webhookUrl points at a private/);
  });

  it("checks the address a name resolves to when it sends, and logs no more than that", async () => {
    // Stored directly, as a URL saved before the guard existed or a name that
    // turned internal later would be: "localhost" resolves to loopback at send time.
    const port = new URL(receiver.url).port;
    const { rows } = await app.db.query<{ id: string }>(
      "INSERT INTO webhooks (url, events, active, secret) VALUES ($1, $2, true, $3) RETURNING id",
      [`http://localhost:${port}/hook`, ["conversation.created"], sealWebhookSecret(app.ctx.secrets, "whsec_test")],
    );
    app.ctx.bus.emit("webhooks.changed", {});
    const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('SSRF') RETURNING id")).rows[0]!.id;
    await createConversation(app.ctx, { inboxId, contactId });
    const log = await eventually(async () => {
      const r = await app.db.query<{ success: boolean; status_code: number | null; error: string }>(
        "SELECT success, status_code, error FROM webhook_deliveries WHERE webhook_id = $1",
        [rows[0]!.id],
      );
      return r.rows.length > 0 ? r.rows : undefined;
    });
    // Not retried either: a forbidden address is a setting, not a passing fault.
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.db.query("SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1", [rows[0]!.id])).rows).toHaveLength(1);
    expect(log[0]).toEqual({ success: false, status_code: null, error: "The URL points at an address outgoing requests may not reach" });
    expect(receiver.requests).toEqual([]);
  });
});

describe("the outgoing HTTP client", () => {
  it("does not follow a redirect, even to an allowed address", async () => {
    const http = createOutboundHttp("127.0.0.1");
    try {
      receiver.requests.length = 0;
      receiver.respond = (r) => (r.url === "/start" ? { status: 302, body: "", type: "text/plain" } : { status: 200, body: {} });
      const res = await http.request(`${receiver.url}/start`, { method: "POST", body: "{}", timeoutMs: 5000 });
      expect(res.status).toBe(302);
      expect(receiver.requests.map((r) => r.url)).toEqual(["/start"]);
    } finally {
      receiver.respond = () => ({ status: 200, body: {} });
      await http.close();
    }
  });

  it("refuses a name resolving to loopback unless the name or its network is allowed", async () => {
    const url = `http://localhost:${new URL(receiver.url).port}/named`;
    for (const [allow, reached] of [
      ["", false],
      ["10.0.0.0/8", false],
      ["localhost", true],
      ["127.0.0.0/8, ::1", true],
    ] as const) {
      const http = createOutboundHttp(allow);
      try {
        const attempt = http.request(url, { method: "GET", timeoutMs: 5000 });
        if (reached) expect((await attempt).status, allow).toBe(200);
        else await expect(attempt, allow).rejects.toThrow(/not allowed/);
      } finally {
        await http.close();
      }
    }
  });
});
