/**
 * Retention and privacy requests (issue #13): per-inbox periods delete or anonymise
 * exactly the resolved conversations past due (messages, notes, attachments and their
 * files, failed jobs, webhook delivery logs), nothing under a legal hold, customers left
 * with nothing are anonymised, and every step is audited; a customer's data is exported
 * whole and erased, never under a hold. On the embedded database, or PostgreSQL.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { SYSTEM } from "../../server/actor.ts";
import { attachmentStore } from "../../server/attachments/AttachmentStore.ts";
import { messageEventId } from "../../server/webhooks/deliverWebhook.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: TestApp;
let admin: Session;
let agent: Session;
let website = "";
let archive = "";
let webhookId = "";

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

const one = async <T = Json>(sql: string, params: unknown[] = []) => (await app.db.query(sql, params)).rows[0] as T;
const count = async (sql: string, params: unknown[] = []) => Number((await one<{ n: number }>(sql, params)).n);

async function contact(name: string): Promise<string> {
  return (
    await one<{ id: string }>("INSERT INTO contacts (name, email, phone) VALUES ($1, $2, '13812345678') RETURNING id", [
      name,
      `${name.replace(/\W/g, "")}@example.com`,
    ])
  ).id;
}

/**
 * A conversation as it looks after a chat: a customer message, a bot answer, a staff
 * note, an attachment with its file, a CSAT comment, a failed job and a webhook
 * delivery logged about it; resolved `resolvedDaysAgo` days ago (null: still open).
 */
async function conversation(inboxId: string, contactId: string, resolvedDaysAgo: number | null) {
  const c = await one<{ id: string }>(
    `INSERT INTO conversations (inbox_id, contact_id, status, resolved_at) VALUES ($1, $2, $3, now() - make_interval(days => $4::int)) RETURNING id`,
    [inboxId, contactId, resolvedDaysAgo === null ? "open" : "resolved", resolvedDaysAgo ?? 0],
  );
  const m = await one<{ id: string }>(
    `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content) VALUES ($1, 1, 'incoming', 'contact', 'My card 4111 was charged twice') RETURNING id`,
    [c.id],
  );
  await app.db.query(
    `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content) VALUES ($1, 2, 'outgoing', 'bot', 'Sorry to hear that')`,
    [c.id],
  );
  await app.db.query(
    `INSERT INTO messages (conversation_id, seq, message_type, private, sender_type, content) VALUES ($1, 3, 'outgoing', true, 'agent', 'Customer sounded upset')`,
    [c.id],
  );
  await app.db.query("UPDATE conversations SET last_seq = 3 WHERE id = $1", [c.id]);
  const key = crypto.randomUUID();
  await attachmentStore(app.ctx.config).put(key, Buffer.from("%PDF-1.4 statement"));
  await app.db.query(
    `INSERT INTO attachments (contact_id, conversation_id, message_id, name, content_type, size, sha256, storage_key)
     VALUES ($1, $2, $3, 'statement.pdf', 'application/pdf', 18, 'x', $4)`,
    [contactId, c.id, m.id, key],
  );
  await app.db.query("INSERT INTO csat_responses (conversation_id, rating, comment) VALUES ($1, 2, 'Call me on 13812345678')", [c.id]);
  await app.db.query(
    `INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, comment, answered_at)
     SELECT id, contact_id, inbox_id, 3, 'Ask for Li on 13812345678', now() FROM conversations WHERE id = $1`,
    [c.id],
  );
  await app.db.query("INSERT INTO failed_jobs (queue, name, data, error, attempts) VALUES ('q', 'assistant.reply', $1, 'boom', 3)", [
    JSON.stringify({ conversationId: c.id, messageId: m.id }),
  ]);
  // One delivery logged with its conversation (since migration 033), one older one known only by its message's event id.
  await app.db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, success, duration_ms, conversation_id)
     VALUES ($1, $2, 'conversation.status_changed', 1, true, 5, $3)`,
    [webhookId, crypto.randomUUID(), c.id],
  );
  await app.db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, success, duration_ms) VALUES ($1, $2, 'message.created', 1, true, 5)`,
    [webhookId, messageEventId(m.id)],
  );
  return { id: c.id, key };
}

const fileExists = (key: string) => fs.existsSync(path.join(app.ctx.config.DATA_DIR, "attachments", key.slice(0, 2), key.slice(2, 4), key));
const leftOf = async (id: string) => ({
  conversation: await count("SELECT count(*)::int AS n FROM conversations WHERE id = $1", [id]),
  messages: await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND NOT private AND content <> ''", [id]),
  notes: await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND private", [id]),
  attachments: await count("SELECT count(*)::int AS n FROM attachments WHERE conversation_id = $1", [id]),
  failedJobs: await count("SELECT count(*)::int AS n FROM failed_jobs WHERE data->>'conversationId' = $1", [id]),
  // The ones logged by message event id only are counted across the table in the test.
  deliveries: await count("SELECT count(*)::int AS n FROM webhook_deliveries WHERE conversation_id = $1", [id]),
});
const intact = { conversation: 1, messages: 2, notes: 1, attachments: 1, failedJobs: 1, deliveries: 1 };

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "dpo@example.com",
    name: "Dana DPO",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "plain@example.com",
    name: "Pat Plain",
    role: "agent",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "dpo@example.com", "correct-horse-battery");
  agent = await signInAgent(app, "plain@example.com", "correct-horse-battery");
  website = (await one<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).id;
  archive = (await createInbox(app.ctx, { actor: SYSTEM, slug: "archive-mail", name: "Archive mail", channel: "email" })).id;
  webhookId = (
    await one<{ id: string }>("INSERT INTO webhooks (url, events, secret) VALUES ('https://example.com/h', '{}', 'x') RETURNING id")
  ).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("retention", () => {
  it("is set per inbox by admins only, and audited", async () => {
    expect((await call(agent, "PUT", `/admin/inboxes/${website}/retention`, { days: 30, action: "delete" })).status).toBe(403);
    expect((await call(admin, "PUT", `/admin/inboxes/${website}/retention`, { days: 0, action: "delete" })).status).toBe(400);
    expect((await call(admin, "PUT", `/admin/inboxes/${website}/retention`, { days: 30, action: "delete" })).status).toBe(200);
    expect((await call(admin, "PUT", `/admin/inboxes/${archive}/retention`, { days: 30, action: "anonymise" })).status).toBe(200);
    const audit = await one<{ data: Json }>("SELECT data FROM audit_log WHERE action = 'inbox.retention_updated' AND target_id = $1", [
      website,
    ]);
    expect(audit.data).toEqual({ from: { days: null, action: "delete" }, to: { days: 30, action: "delete" } });
  });

  it("deletes or anonymises exactly what is past due, and nothing under a legal hold", async () => {
    const gone = await contact("Gone Customer");
    const stays = await contact("Stays Customer");
    const heldCustomer = await contact("Held Customer");
    const pastDue = await conversation(website, gone, 40);
    const recent = await conversation(website, stays, 10);
    const stillOpen = await conversation(website, stays, null);
    await app.db.query("UPDATE conversations SET resolved_at = now() - interval '90 days' WHERE id = $1", [stillOpen.id]);
    const heldConversation = await conversation(website, stays, 40);
    const ofHeldCustomer = await conversation(website, heldCustomer, 40);
    const anonymised = await conversation(archive, stays, 31);
    const kept = await conversation(archive, stays, 29);

    // Holds: placed by admins only, with a reason, audited.
    expect(
      (await call(agent, "POST", "/admin/legal-holds", { conversationId: heldConversation.id, reason: "Litigation 2026-17" })).status,
    ).toBe(403);
    expect((await call(admin, "POST", "/admin/legal-holds", { reason: "no target" })).status).toBe(400);
    const hold = await call(admin, "POST", "/admin/legal-holds", { conversationId: heldConversation.id, reason: "Litigation 2026-17" });
    expect(hold.status).toBe(201);
    expect((await call(admin, "POST", "/admin/legal-holds", { contactId: heldCustomer, reason: "Regulator enquiry" })).status).toBe(201);
    expect(await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal_hold.placed'")).toBe(2);

    const run = await call(admin, "POST", "/admin/retention/run");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      deletedConversations: 1,
      anonymisedConversations: 1,
      heldBack: 2,
      contactsAnonymised: 1,
      conversations: 2,
      messages: 4,
      notes: 2,
      attachments: 2,
      failedJobs: 2,
      webhookDeliveries: 4,
      filesDeleted: 2,
    });

    // Past due on a "delete" inbox: nothing left, files included.
    expect(await leftOf(pastDue.id)).toEqual({ conversation: 0, messages: 0, notes: 0, attachments: 0, failedJobs: 0, deliveries: 0 });
    expect(fileExists(pastDue.key)).toBe(false);
    expect(await count("SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1", [webhookId])).toBe(2 * 7 - 4);
    // Past due on an "anonymise" inbox: the row and its message count stay, the content goes.
    expect(await leftOf(anonymised.id)).toEqual({ conversation: 1, messages: 0, notes: 0, attachments: 0, failedJobs: 0, deliveries: 0 });
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1", [anonymised.id])).toBe(2);
    expect(
      (await one<{ comment: string | null }>("SELECT comment FROM csat_responses WHERE conversation_id = $1", [anonymised.id])).comment,
    ).toBeNull();
    expect(
      (await one<{ comment: string | null }>("SELECT comment FROM nps_responses WHERE conversation_id = $1", [anonymised.id])).comment,
    ).toBeNull();
    expect(fileExists(anonymised.key)).toBe(false);
    // Not yet due, not resolved, or held: untouched.
    for (const c of [recent, stillOpen, heldConversation, ofHeldCustomer, kept]) {
      expect(await leftOf(c.id)).toEqual(intact);
      expect(fileExists(c.key)).toBe(true);
    }
    // The customer with nothing left is anonymised; the others keep their details.
    expect(await one("SELECT name, email, phone, anonymised_at IS NOT NULL AS done FROM contacts WHERE id = $1", [gone])).toEqual({
      name: null,
      email: null,
      phone: null,
      done: true,
    });
    expect((await one<{ name: string }>("SELECT name FROM contacts WHERE id = $1", [stays])).name).toBe("Stays Customer");
    expect((await one<{ name: string }>("SELECT name FROM contacts WHERE id = $1", [heldCustomer])).name).toBe("Held Customer");

    const audit = await one<{ actor_type: string; data: Json }>(
      "SELECT actor_type, data FROM audit_log WHERE action = 'retention.run' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toMatchObject({ actor_type: "system", data: { deletedConversations: 1, anonymisedConversations: 1, heldBack: 2 } });

    // A second run finds nothing new; releasing the hold (audited, with a reason) lets the next run take it.
    expect((await call(admin, "POST", "/admin/retention/run")).body).toMatchObject({ conversations: 0, heldBack: 2 });
    expect((await call(admin, "POST", `/admin/legal-holds/${hold.body.id}/release`, { reason: "Case settled" })).status).toBe(200);
    expect((await call(admin, "POST", `/admin/legal-holds/${hold.body.id}/release`, { reason: "Case settled" })).status).toBe(404);
    expect(await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal_hold.released'")).toBe(1);
    expect((await call(admin, "POST", "/admin/retention/run")).body).toMatchObject({ deletedConversations: 1, heldBack: 1 });
    expect(await leftOf(heldConversation.id)).toMatchObject({ conversation: 0 });
    expect(await leftOf(ofHeldCustomer.id)).toEqual(intact);
  });

  it("runs as a job on the queue", async () => {
    const before = await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention.run'");
    await app.db.query("DELETE FROM audit_log WHERE action = 'retention.run'");
    await app.ctx.queue.enqueue("retention.run", { day: 1 }, { jobId: `retention-test-${crypto.randomUUID()}` });
    for (let i = 0; i < 100 && (await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention.run'")) === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(before).toBeGreaterThan(0);
    expect(await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention.run'")).toBe(1);
  });
});

describe("privacy requests", () => {
  let subject = "";
  let convo = { id: "", key: "" };

  beforeAll(async () => {
    subject = await contact("Privacy Subject");
    convo = await conversation(website, subject, null);
    await app.db.query(
      `INSERT INTO cases (reference, contact_id, inbox_id, source, language, summary, jurisdiction, policy, due_at)
       VALUES ('CMP-TEST-1', $1, $2, 'agent', 'en', 'Charged twice', 'cn', '{}', now() + interval '15 days')`,
      [subject, website],
    );
  });

  it("exports everything held about the customer, on the audit and access logs", async () => {
    expect((await call(agent, "GET", `/admin/privacy/contacts/${subject}/export`)).status).toBe(403);
    const r = await call(admin, "GET", `/admin/privacy/contacts/${subject}/export`);
    expect(r.status).toBe(200);
    expect(r.body.contact).toMatchObject({
      id: subject,
      name: "Privacy Subject",
      email: "PrivacySubject@example.com",
      phone: "13812345678",
    });
    expect(r.body.conversations).toHaveLength(1);
    const c = r.body.conversations[0];
    expect(c).toMatchObject({
      id: convo.id,
      status: "open",
      csat: { rating: 2, comment: "Call me on 13812345678" },
      nps: { score: 3, comment: "Ask for Li on 13812345678" },
    });
    expect(c.messages.map((m: Json) => [m.seq, m.private, m.content])).toEqual([
      [1, false, "My card 4111 was charged twice"],
      [2, false, "Sorry to hear that"],
      [3, true, "Customer sounded upset"],
    ]);
    expect(r.body.cases).toEqual([expect.objectContaining({ reference: "CMP-TEST-1", summary: "Charged twice", events: [] })]);
    expect(r.body.attachments).toEqual([
      expect.objectContaining({ conversationId: convo.id, name: "statement.pdf", contentType: "application/pdf" }),
    ]);
    expect(await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'privacy.exported' AND target_id = $1", [subject])).toBe(1);
    expect(
      await count("SELECT count(*)::int AS n FROM access_log WHERE subject_type = 'privacy_export' AND contact_id = $1", [subject]),
    ).toBe(1);
  });

  it("refuses to erase under a legal hold, then erases and anonymises, keeping complaint cases", async () => {
    const hold = await call(admin, "POST", "/admin/legal-holds", { conversationId: convo.id, reason: "Fraud investigation" });
    const refused = await call(admin, "POST", `/admin/privacy/contacts/${subject}/erase`);
    expect(refused.status).toBe(409);
    expect(await leftOf(convo.id)).toEqual(intact);
    expect((await call(agent, "POST", `/admin/privacy/contacts/${subject}/erase`)).status).toBe(403);
    await call(admin, "POST", `/admin/legal-holds/${hold.body.id}/release`, { reason: "Closed" });

    const r = await call(admin, "POST", `/admin/privacy/contacts/${subject}/erase`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      conversations: 1,
      messages: 2,
      notes: 1,
      attachments: 1,
      failedJobs: 1,
      webhookDeliveries: 2,
      casesKept: 1,
      filesDeleted: 1,
    });
    expect(await leftOf(convo.id)).toEqual({ conversation: 0, messages: 0, notes: 0, attachments: 0, failedJobs: 0, deliveries: 0 });
    expect(fileExists(convo.key)).toBe(false);
    expect(await one("SELECT name, email, phone, external_id FROM contacts WHERE id = $1", [subject])).toEqual({
      name: null,
      email: null,
      phone: null,
      external_id: null,
    });
    expect(await count("SELECT count(*)::int AS n FROM cases WHERE contact_id = $1", [subject])).toBe(1);
    const audit = await one<{ data: Json }>("SELECT data FROM audit_log WHERE action = 'privacy.erased' AND target_id = $1", [subject]);
    expect(audit.data).toMatchObject({ conversations: 1, casesKept: 1 });
    // The export afterwards shows what is left: an anonymous contact and the case.
    const after = await call(admin, "GET", `/admin/privacy/contacts/${subject}/export`);
    expect(after.body.contact.name).toBeNull();
    expect(after.body.conversations).toEqual([]);
  });
});
