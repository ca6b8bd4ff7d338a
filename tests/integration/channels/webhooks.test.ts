import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../../helpers/testApp.ts";
import { SYSTEM } from "../../../server/actor.ts";
import { createAgent } from "../../../server/commands/createAgent.ts";
import { createInbox } from "../../../server/commands/createInbox.ts";
import { createConversation } from "../../../server/commands/createConversation.ts";
import { postMessage } from "../../../server/commands/postMessage.ts";
import { handOff } from "../../../server/commands/handOff.ts";
import { changeConversationStatus } from "../../../server/commands/changeConversationStatus.ts";
import { recordCsat } from "../../../server/commands/recordCsat.ts";
import { verifyWebhookSignature } from "../../../server/webhooks/signature.ts";
import { messageEventId, requeueUndeliveredMessages } from "../../../server/webhooks/deliverWebhook.ts";
import { openChannelConfig } from "../../../server/channels/channelInboxes.ts";
import { adapterFor } from "../../../server/channels/adapters.ts";
import { eventually, startRecorder, type Recorder } from "./channelHelpers.ts";

/**
 * Outgoing webhooks: admin-only CRUD (audited), one signed delivery per event and
 * webhook, retried with backoff on 5xx, every attempt in the delivery log.
 */
let app: TestApp;
let receiver: Recorder;
let admin: { cookie: string; csrf: string };
let agent: { cookie: string; csrf: string };

beforeAll(async () => {
  receiver = await startRecorder();
  app = await startTestApp({ env: { WEBHOOK_DELIVERY_ATTEMPTS: "4", WEBHOOK_DELIVERY_BACKOFF_MS: "50" } });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "hooks-admin@bank.example",
    name: "Hooks Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "hooks-agent@bank.example",
    name: "Hooks Agent",
    role: "agent",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "hooks-admin@bank.example", "correct-horse-battery");
  agent = await signInAgent(app, "hooks-agent@bank.example", "correct-horse-battery");
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

const api = (who: { cookie: string; csrf: string }, method: string, path: string, body?: unknown) =>
  fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: { cookie: who.cookie, "x-csrf-token": who.csrf, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe("outgoing webhooks", () => {
  let hook: { id: string; secret: string };

  it("lets only admins manage webhooks, shows the secret once, and audits changes", async () => {
    const denied = await api(agent, "POST", "/webhooks", { url: `${receiver.url}/hook`, events: ["message.created"] });
    expect(denied.status).toBe(403);
    const bad = await api(admin, "POST", "/webhooks", { url: "ftp://example.com", events: ["nope"] });
    expect(bad.status).toBe(400);

    const res = await api(admin, "POST", "/webhooks", {
      url: `${receiver.url}/hook?token=abc`,
      events: ["conversation.created", "conversation.status_changed", "conversation.handoff", "message.created", "csat.created"],
      description: "CRM sync",
    });
    expect(res.status).toBe(201);
    hook = (await res.json()) as { id: string; secret: string };
    expect(hook.secret).toMatch(/^whsec_/);

    const list = (await (await api(admin, "GET", "/webhooks")).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toHaveProperty("secret");
    expect((await api(agent, "GET", "/webhooks")).status).toBe(403);

    const audit = await app.db.query<{ action: string; data: { url: string } }>("SELECT action, data FROM audit_log WHERE target_id = $1", [
      hook.id,
    ]);
    // The query string (which may carry a credential) stays out of the audit log.
    expect(audit.rows).toEqual([{ action: "webhook.create", data: expect.objectContaining({ url: `${receiver.url}/hook` }) }]);
  });

  it("delivers each event signed, never a private note, and retries a 500 until it succeeds", async () => {
    // The receiver fails the first two attempts of every handoff delivery.
    const handoffAttempts: number[] = [];
    receiver.respond = (r) => {
      const body = JSON.parse(r.body) as { event: string };
      if (body.event === "conversation.handoff") {
        handoffAttempts.push(Date.now());
        if (handoffAttempts.length <= 2) return { status: 500, body: "boom", type: "text/plain" };
      }
      return { status: 200, body: { ok: true } };
    };
    const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Hook Customer') RETURNING id")).rows[0]!.id;
    const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
    await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "incoming",
      senderType: "contact",
      senderId: contactId,
      content: "Hi there",
    });
    await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "incoming",
      senderType: "contact",
      senderId: contactId,
      content: "my card is ４１１１.１１１１.１１１１.１１１１",
    });
    await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "outgoing",
      senderType: "agent",
      content: "secret note",
      private: true,
    });
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "pending" });
    await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "wants a person" });
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "resolved" });
    await recordCsat(app.ctx, { conversationId: c.id, rating: 5, comment: "great" });

    const events = await eventually(async () => {
      const ok = receiver.requests.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> });
      return handoffAttempts.length >= 3 && ok.some((e) => e.event === "csat.created") ? ok : undefined;
    });
    for (const r of receiver.requests) {
      expect(r.method).toBe("POST");
      expect(r.url).toBe("/hook?token=abc");
      expect(verifyWebhookSignature(hook.secret, r.body, r.headers["x-bankdesk-signature"] as string)).toBe(true);
      expect(r.headers["x-bankdesk-event"]).toBe((JSON.parse(r.body) as { event: string }).event);
    }
    expect(
      verifyWebhookSignature("whsec_wrong", receiver.requests[0]!.body, receiver.requests[0]!.headers["x-bankdesk-signature"] as string),
    ).toBe(false);

    const mine = events.filter((e) => (e.data.conversation as { id: string }).id === c.id);
    const names = new Set(mine.map((e) => e.event));
    expect(names).toEqual(
      new Set(["conversation.created", "message.created", "conversation.status_changed", "conversation.handoff", "csat.created"]),
    );
    const contents = mine.filter((e) => e.event === "message.created").map((e) => (e.data.message as { content: string }).content);
    expect(contents).toContain("Hi there");
    // Card numbers leave masked, however they were written (security finding 5).
    expect(contents).toContain("my card is [card ****1111]");
    expect(contents).not.toContain("secret note");
    expect(mine.find((e) => e.event === "csat.created")!.data).toMatchObject({ rating: 5, comment: "great" });
    // The three handoff attempts carry the same event id (receivers can deduplicate on it).
    const handoffIds = new Set(
      receiver.requests
        .filter((r) => r.headers["x-bankdesk-event"] === "conversation.handoff")
        .map((r) => r.headers["x-bankdesk-delivery"]),
    );
    expect(handoffIds.size).toBe(1);

    const log = (await (await api(admin, "GET", `/webhooks/${hook.id}/deliveries?limit=200`)).json()) as {
      items: Array<{ event: string; attempt: number; success: boolean; statusCode: number; error: string | null }>;
    };
    const handoffLog = log.items.filter((d) => d.event === "conversation.handoff").reverse();
    expect(handoffLog.map((d) => [d.attempt, d.success, d.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(handoffLog[0]!.error).toBe("The receiver answered 500");
    // Each attempt records its conversation, so retention removes the log with it (server/retention).
    const logged = await app.db.query<{ event: string; conversation_id: string | null }>(
      "SELECT DISTINCT event, conversation_id FROM webhook_deliveries WHERE webhook_id = $1",
      [hook.id],
    );
    expect(
      logged.rows
        .filter((r) => r.conversation_id === c.id)
        .map((r) => r.event)
        .sort(),
    ).toEqual(["conversation.created", "conversation.handoff", "conversation.status_changed", "csat.created", "message.created"]);
  });

  it("stops delivering to a paused webhook and rotates its secret on request", async () => {
    const paused = await api(admin, "PATCH", `/webhooks/${hook.id}`, { active: false, rotateSecret: true });
    const body = (await paused.json()) as { active: boolean; secret: string };
    expect(body.active).toBe(false);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(hook.secret);
    // A second, active webhook for the same event: once it has its delivery, the paused one would have too.
    const other = await api(admin, "POST", "/webhooks", { url: `${receiver.url}/other`, events: ["conversation.created"] });
    expect(other.status).toBe(201);
    receiver.requests.length = 0;
    const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Paused') RETURNING id")).rows[0]!.id;
    await createConversation(app.ctx, { inboxId, contactId });
    await eventually(async () => (receiver.requests.length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.requests.map((r) => r.url)).toEqual(["/other"]);

    expect((await api(admin, "DELETE", `/webhooks/${hook.id}`)).status).toBe(204);
    expect((await api(admin, "GET", `/webhooks/${hook.id}`)).status).toBe(404);
  });
});

describe("a message's delivery lost with its process", () => {
  it("is queued again when a worker starts, once, with the same delivery id", async () => {
    const created = await api(admin, "POST", "/webhooks", { url: `${receiver.url}/recovered`, events: ["message.created"] });
    const hookId = ((await created.json()) as { id: string }).id;
    const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Crash') RETURNING id")).rows[0]!.id;
    const c = await createConversation(app.ctx, { inboxId, contactId });
    await app.ctx.queue.drain();
    // Stored, and the process died before the delivery job was queued: no event was ever emitted.
    const lost = (
      await app.db.query<{ id: string }>(
        `INSERT INTO messages (conversation_id, message_type, sender_type, sender_id, content, seq)
         VALUES ($1, 'incoming', 'contact', $2, 'sent just before the crash', 1) RETURNING id`,
        [c.id, contactId],
      )
    ).rows[0]!.id;
    receiver.requests.length = 0;
    expect(await requeueUndeliveredMessages(app.ctx)).toBe(1);
    const got = await eventually(async () => receiver.requests.find((r) => r.url === "/recovered"));
    expect(got.headers["x-bankdesk-delivery"]).toBe(messageEventId(lost));
    expect((JSON.parse(got.body) as { data: { message: { id: string; content: string } } }).data.message).toMatchObject({
      id: lost,
      content: "sent just before the crash",
    });
    await app.ctx.queue.drain();
    // Delivered now (its attempt is logged): the next start leaves it alone.
    expect(await requeueUndeliveredMessages(app.ctx)).toBe(0);
    expect((await api(admin, "DELETE", `/webhooks/${hookId}`)).status).toBe(204);
  });
});

describe("channel inbox settings", () => {
  it("lets admins set provider credentials, masks secrets, keeps omitted secrets and audits field names only", async () => {
    await createInbox(app.ctx, { actor: SYSTEM, slug: "texts", name: "Texts", channel: "sms", settings: { botEnabled: false } });
    const config = { accountSid: "AC" + "ab".repeat(16), authToken: "super-secret-auth-token", from: "+15005550006" };
    expect((await api(agent, "PUT", "/channels/inboxes/texts/config", config)).status).toBe(403);
    await expect(api(admin, "PUT", "/channels/inboxes/texts/config", { ...config, from: "not a number" })).resolves.toHaveProperty(
      "status",
      400,
    );

    const res = await api(admin, "PUT", "/channels/inboxes/texts/config", config);
    expect(res.status).toBe(200);
    const shown = (await res.json()) as Record<string, unknown>;
    expect(shown).toMatchObject({
      slug: "texts",
      channel: "sms",
      configured: true,
      config: { authToken: { set: true }, from: "+15005550006" },
    });
    expect(JSON.stringify(shown)).not.toContain("super-secret-auth-token");

    // Changing the number alone keeps the auth token.
    const changed = await api(admin, "PUT", "/channels/inboxes/texts/config", { accountSid: config.accountSid, from: "+15005550007" });
    expect(changed.status).toBe(200);
    const { rows } = await app.db.query<{ channel_config: { authToken: string; from: string } }>(
      "SELECT channel_config FROM inboxes WHERE slug = 'texts'",
    );
    // The token is kept, sealed (security finding 7): not readable in the table, opening to the same value.
    expect(rows[0]!.channel_config.from).toBe("+15005550007");
    expect(JSON.stringify(rows[0]!.channel_config)).not.toContain("super-secret-auth-token");
    expect(openChannelConfig(app.ctx, adapterFor("sms")!, rows[0]!.channel_config)).toMatchObject({ authToken: "super-secret-auth-token" });

    const audit = await app.db.query<{ data: unknown }>("SELECT data FROM audit_log WHERE action = 'inbox.channel_configured'");
    expect(audit.rows.length).toBe(2);
    expect(JSON.stringify(audit.rows)).not.toContain("super-secret-auth-token");

    const list = (await (await api(admin, "GET", "/channels/inboxes")).json()) as { items: Array<{ slug: string; webhookUrl: string }> };
    expect(list.items.find((i) => i.slug === "texts")!.webhookUrl).toMatch(/\/webhooks\/twilio\/texts$/);
  });

  it("documents the channel and webhook endpoints in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const p of [
      "/api/v1/webhooks",
      "/api/v1/webhooks/{id}/deliveries",
      "/api/v1/channels/api/messages",
      "/api/v1/channels/inboxes/{inbox}/config",
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
});
