/**
 * Who read what (issue #13): every staff read of a conversation, a customer's profile,
 * a case or an export lands on the hash-chained access log; the chain holds under
 * concurrent appends, rows cannot be changed through the database user, a tampered
 * row (trigger disabled, as a DBA could) is found by verify, and only admins search it.
 * Runs on the embedded database, or PostgreSQL when DATABASE_URL is set.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachmentStore } from "../../server/attachments/AttachmentStore.ts";
import { callApi, type Json, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { SYSTEM, type Actor } from "../../server/actor.ts";
import { appendAccess } from "../../server/accessLog/recordAccess.ts";
import { verifyAccessLog } from "../../server/accessLog/verifyAccessLog.ts";

type Session = { cookie: string; csrf: string };

let app: TestApp;
let admin: Session;
let agent: Session;
const ids = { admin: "", agent: "", contact: "", conversation: "" };

const call = (s: Session, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  callApi(app, s, method, path, body, headers);

async function entries(filter: string): Promise<Json[]> {
  const r = await call(admin, "GET", `/admin/access-log?${filter}`);
  expect(r.status).toBe(200);
  return r.body.items;
}

beforeAll(async () => {
  app = await startTestApp();
  const general = (await app.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = 'general'")).rows[0]!.id;
  ids.admin = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "auditor@example.com",
      name: "Ada Auditor",
      role: "admin",
      password: "correct-horse-battery",
    })
  ).id;
  ids.agent = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "reader@example.com",
      name: "Ray Reader",
      role: "agent",
      password: "correct-horse-battery",
      teamIds: [general],
    })
  ).id;
  admin = await signInAgent(app, "auditor@example.com", "correct-horse-battery");
  agent = await signInAgent(app, "reader@example.com", "correct-horse-battery");
  ids.contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Read Subject') RETURNING id")).rows[0]!.id;
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const c = await createConversation(app.ctx, { inboxId: inbox, contactId: ids.contact, status: "open" });
  await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [c.id, general]);
  ids.conversation = c.id;
  await postMessage(app.ctx, {
    conversationId: c.id,
    messageType: "incoming",
    senderType: "contact",
    senderId: ids.contact,
    content: "hello",
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("every staff read is on the access log", () => {
  it("opening a conversation records who, what, from where and the request id", async () => {
    const r = await call(agent, "GET", `/conversations/${ids.conversation}`, undefined, { "x-request-id": "trace-abc-123" });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-request-id")).toBe("trace-abc-123");
    const [e] = await entries(`conversationId=${ids.conversation}&subjectType=conversation`);
    expect(e).toMatchObject({
      agent: { id: ids.agent, name: "Ray Reader" },
      subjectType: "conversation",
      subjectId: ids.conversation,
      contactId: ids.contact,
      conversationId: ids.conversation,
      requestId: "trace-abc-123",
    });
    expect(e!.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it("reading messages from the start is a read; catching up after a sequence number is not", async () => {
    const before = (await entries(`agentId=${ids.agent}&conversationId=${ids.conversation}`)).length;
    expect((await call(agent, "GET", `/conversations/${ids.conversation}/messages`)).status).toBe(200);
    expect((await call(agent, "GET", `/conversations/${ids.conversation}/messages?after=1`)).status).toBe(200);
    expect((await entries(`agentId=${ids.agent}&conversationId=${ids.conversation}`)).length).toBe(before + 1);
  });

  it("a customer's profile, a case and an export are recorded", async () => {
    expect((await call(agent, "GET", `/contacts/${ids.contact}`)).status).toBe(200);
    const profile = await entries(`contactId=${ids.contact}&subjectType=contact`);
    expect(profile[0]).toMatchObject({ agent: { id: ids.agent }, subjectId: ids.contact });

    const opened = await call(agent, "POST", "/cases", { conversationId: ids.conversation, summary: "Fee charged twice" });
    expect(opened.status).toBe(201);
    expect((await call(agent, "GET", `/cases/${opened.body.id}`)).status).toBe(200);
    expect((await entries(`subjectType=case&contactId=${ids.contact}`))[0]).toMatchObject({ subjectId: opened.body.id });

    const csv = await call(admin, "GET", "/reports/export.csv?kind=conversations");
    expect(csv.status).toBe(200);
    expect((await entries(`agentId=${ids.admin}&subjectType=export`))[0]).toMatchObject({ subjectId: "reports.conversations" });
  });

  it("opening a customer's attachment is recorded", async () => {
    const key = crypto.randomUUID();
    await attachmentStore(app.ctx.config).put(key, Buffer.from("%PDF-1.4 payslip"));
    const attachment = (
      await app.db.query<{ id: string }>(
        `INSERT INTO attachments (contact_id, conversation_id, name, content_type, size, sha256, storage_key)
         VALUES ($1, $2, 'payslip.pdf', 'application/pdf', 16, 'x', $3) RETURNING id`,
        [ids.contact, ids.conversation, key],
      )
    ).rows[0]!.id;
    expect((await call(agent, "GET", `/attachments/${attachment}`)).status).toBe(200);
    expect(await entries(`subjectType=attachment&conversationId=${ids.conversation}`)).toEqual([
      expect.objectContaining({ agent: expect.objectContaining({ id: ids.agent }), subjectId: attachment, contactId: ids.contact }),
    ]);
  });

  it("account data from the core system is recorded beside the profile", async () => {
    const customer = (await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1001'")).rows[0]!.id;
    const r = await call(admin, "GET", `/contacts/${customer}`);
    expect(r.status).toBe(200);
    expect(r.body.banking.accounts.length).toBeGreaterThan(0);
    const kinds = (await entries(`contactId=${customer}&agentId=${ids.admin}`)).map((e) => e.subjectType);
    expect(kinds.sort()).toEqual(["account_data", "contact"]);
  });

  it("a read that is refused is not recorded as a read", async () => {
    const other = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Nobody Visible') RETURNING id")).rows[0]!.id;
    expect((await call(agent, "GET", `/contacts/${other}`)).status).toBe(404);
    expect(await entries(`contactId=${other}`)).toEqual([]);
  });

  it("searches by date and pages; agents may not search", async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await entries(`from=${encodeURIComponent(future)}`)).toEqual([]);
    const page = await call(admin, "GET", "/admin/access-log?limit=1");
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toBe(page.body.items[0].id);
    const next = await call(admin, "GET", `/admin/access-log?limit=1&before=${page.body.nextCursor}`);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(page.body.items[0].id));
    expect((await call(agent, "GET", "/admin/access-log")).status).toBe(403);
    expect((await call(agent, "GET", "/admin/access-log/verify")).status).toBe(403);
  });

  it("an export and account data are withheld when their access-log row cannot be written (fail closed); a view goes ahead (log and continue)", async () => {
    // Renaming the table makes every append fail, as an unavailable log would.
    await app.db.query("ALTER TABLE access_log RENAME TO access_log_away");
    try {
      const csv = await call(admin, "GET", "/reports/export.csv?kind=conversations");
      expect(csv.status).toBe(503);
      expect(csv.text).not.toContain("Read Subject");
      expect((await call(agent, "GET", `/conversations/${ids.conversation}`)).status).toBe(200);
      // The profile still comes; the account data does not.
      const customer = (await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1001'")).rows[0]!.id;
      const profile = await call(admin, "GET", `/contacts/${customer}`);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ banking: null, bankingError: "access_log_unavailable" });
    } finally {
      await app.db.query("ALTER TABLE access_log_away RENAME TO access_log");
    }
  });
});

describe("the hash chain", () => {
  const reader: Actor = { type: "agent", id: "", role: "agent", teamIds: [] };

  it("stays valid under 50 concurrent appends, with gapless ids", async () => {
    reader.id = ids.agent;
    const before = await verifyAccessLog(app.db);
    expect(before.ok).toBe(true);
    const rows = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendAccess(app.db, {
          actor: reader,
          subjectType: "contact",
          subjectId: ids.contact,
          contactId: ids.contact,
          requestId: `c-${i}`,
        }),
      ),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(50);
    const after = await verifyAccessLog(app.db);
    expect(after).toMatchObject({ ok: true, rows: before.rows + 50, firstBroken: null });
    const verify = await call(admin, "GET", "/admin/access-log/verify");
    expect(verify.body).toMatchObject({ ok: true, rows: after.rows });
  });

  it("refuses UPDATE, DELETE and TRUNCATE through the database", async () => {
    await expect(app.db.query("UPDATE access_log SET subject_id = 'x' WHERE id = 1")).rejects.toThrow(/append-only/);
    await expect(app.db.query("DELETE FROM access_log WHERE id = 1")).rejects.toThrow(/append-only/);
    await expect(app.db.query("TRUNCATE access_log")).rejects.toThrow(/append-only/);
    expect((await verifyAccessLog(app.db)).ok).toBe(true);
  });

  it("verify names the first edited row, then a removed one, then a cut-off end", async () => {
    const bypass = async (sql: string, params: unknown[] = []) => {
      await app.db.query("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only");
      try {
        await app.db.query(sql, params);
      } finally {
        await app.db.query("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only");
      }
    };
    const target = (
      await app.db.query<{ id: string; agent_id: string }>("SELECT id::text, agent_id FROM access_log ORDER BY id LIMIT 1 OFFSET 4")
    ).rows[0]!;
    // Hide who read it: the row's own hash no longer matches.
    await bypass("UPDATE access_log SET agent_id = $2 WHERE id = $1", [target.id, ids.admin]);
    expect(await verifyAccessLog(app.db)).toMatchObject({
      ok: false,
      rows: Number(target.id) - 1,
      firstBroken: { id: target.id, reason: "hash_mismatch" },
    });
    // Recomputing that row's hash to match does not help: the next row's prev_hash gives it away.
    await bypass(
      `UPDATE access_log SET hash = encode(sha256(convert_to(prev_hash || '|' ||
         access_log_canonical(id, agent_id, subject_type, subject_id, contact_id, conversation_id, ip, request_id, created_at), 'UTF8')), 'hex') WHERE id = $1`,
      [target.id],
    );
    const next = String(Number(target.id) + 1);
    expect((await verifyAccessLog(app.db)).firstBroken).toEqual({ id: next, reason: "prev_hash_mismatch" });
    await bypass("UPDATE access_log SET agent_id = $2 WHERE id = $1", [target.id, target.agent_id]);
    await bypass(
      `UPDATE access_log SET hash = encode(sha256(convert_to(prev_hash || '|' ||
         access_log_canonical(id, agent_id, subject_type, subject_id, contact_id, conversation_id, ip, request_id, created_at), 'UTF8')), 'hex') WHERE id = $1`,
      [target.id],
    );
    expect((await verifyAccessLog(app.db)).ok).toBe(true);

    await bypass("DELETE FROM access_log WHERE id = $1", [next]);
    expect((await verifyAccessLog(app.db)).firstBroken).toEqual({ id: next, reason: "missing_row" });

    const last = (await app.db.query<{ id: string }>("SELECT max(id)::text AS id FROM access_log")).rows[0]!.id;
    await bypass("DELETE FROM access_log WHERE id >= $1", [next]);
    expect((await verifyAccessLog(app.db)).firstBroken).toEqual({ id: next, reason: "truncated" });
    expect(Number(last)).toBeGreaterThan(Number(next));
  });
});
