/**
 * What the console's complaint settings and case page rely on, on a real server: an
 * admin sets an inbox's complaint rules through PATCH /admin/inboxes/{id} (a custom
 * policy's mistakes come back with the path of the field and a message for people;
 * the change is audited) and a new case in that inbox runs them; a dispute case's
 * transaction comes back field by field, and nothing else stored in its details does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, type Json, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { SYSTEM } from "../../server/actor.ts";
import { findInbox } from "../../server/conversations/queries.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { openDisputeCase } from "../../server/cases/openDisputeCase.ts";

let app: TestApp;
let admin: { cookie: string; csrf: string };
let adminId = "";
let inboxId = "";
let contactId = "";

beforeAll(async () => {
  app = await startTestApp();
  adminId = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "rules@example.com",
      name: "Rules Admin",
      role: "admin",
      password: "rules-password-123",
    })
  ).id;
  admin = await signInAgent(app, "rules@example.com", "rules-password-123");
  inboxId = (await findInbox(app.db, "website"))!.id;
  contactId = (await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1001'")).rows[0]!.id;
});
afterAll(async () => {
  await app?.close();
});

const call = (method: string, path: string, body?: unknown) => callApi(app, admin, method, path, body);

const newCase = async () => {
  const conv = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  return (
    await openCase(app.ctx, { actor: SYSTEM, conversationId: conv.id, summary: "Fee charged twice", source: "agent", language: "en" })
  ).case;
};

describe("an inbox's complaint rules", () => {
  it("refuses a custom policy's mistakes with each field's path and a message for people", async () => {
    const r = await call("PATCH", `/admin/inboxes/${inboxId}`, {
      settings: {
        complaints: {
          jurisdiction: "custom",
          custom: {
            calendar: "uk",
            acknowledge: null,
            finalResponse: { days: 0, unit: "business" },
            extensions: [{ days: 2.5, unit: "calendar" }],
            rule: "Our standard",
          },
        },
      },
    });
    expect(r.status).toBe(400);
    const details = (r.body.error.details as Array<{ path: string; message: string }>).map((d) => [
      d.path.replace(/^body\./, ""),
      d.message,
    ]);
    expect(details).toEqual(
      expect.arrayContaining([
        ["settings.complaints.custom.finalResponse.days", "At least 1 day"],
        ["settings.complaints.custom.extensions.0.days", "A whole number of days"],
      ]),
    );
    const missing = await call("PATCH", `/admin/inboxes/${inboxId}`, { settings: { complaints: { jurisdiction: "custom" } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: Json) => d.path.replace(/^body\./, ""))).toContain("settings.complaints.custom");
  });

  it("sets UK rules, audited; a new case runs them and one received before keeps its own", async () => {
    const before = await newCase();
    expect(before.jurisdiction).toBe("cn");
    const r = await call("PATCH", `/admin/inboxes/${inboxId}`, { settings: { complaints: { jurisdiction: "uk" } } });
    expect(r.status).toBe(200);
    expect(r.body.settings.complaints).toEqual({ jurisdiction: "uk" });
    const audit = await app.db.query<{ actor_id: string; data: Json }>(
      "SELECT actor_id, data FROM audit_log WHERE action = 'inbox.update' AND target_id = $1 ORDER BY created_at DESC LIMIT 1",
      [inboxId],
    );
    expect(audit.rows[0]).toMatchObject({
      actor_id: adminId,
      data: { changes: { "settings.complaints": { from: null, to: { jurisdiction: "uk" } } } },
    });

    const after = await newCase();
    const shown = (await call("GET", `/cases/${after.id}`)).body;
    expect(shown).toMatchObject({ jurisdiction: "uk", clocks: { finalResponse: { limit: { days: 56, unit: "calendar" } } } });
    expect(shown.rule).toMatch(/FCA DISP/);
    expect((await call("GET", `/cases/${before.id}`)).body.jurisdiction).toBe("cn");
  });

  it("runs a custom policy's limits on its calendar", async () => {
    const custom = {
      calendar: "us",
      acknowledge: { days: 2, unit: "business" },
      finalResponse: { days: 10, unit: "business" },
      extensions: [{ days: 20, unit: "business" }],
      rule: "Our own standard",
    };
    const r = await call("PATCH", `/admin/inboxes/${inboxId}`, { settings: { complaints: { jurisdiction: "custom", custom } } });
    expect(r.status).toBe(200);
    const c = (await call("GET", `/cases/${(await newCase()).id}`)).body;
    expect(c).toMatchObject({ jurisdiction: "custom", rule: "Our own standard", extensionsLeft: 1 });
    expect(c.clocks.finalResponse.limit).toEqual({ days: 10, unit: "business" });
    await call("PATCH", `/admin/inboxes/${inboxId}`, { settings: { complaints: { jurisdiction: "cn" } } });
  });
});

describe("a dispute case's details", () => {
  it("come back field by field, without anything else stored with them", async () => {
    const conv = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
    const opened = await openDisputeCase(app.ctx, {
      conversationId: conv.id,
      language: "en",
      requestKey: "case-settings-dispute",
      transaction: {
        transactionId: "T-42",
        amount: 3280,
        currency: "CNY",
        merchant: "LUCKY MART SHENZHEN",
        date: "2026-11-20",
        accountName: "Platinum Credit Card",
        cardKind: "credit",
      },
    });
    const { id } = (await app.db.query<{ id: string }>("SELECT id FROM cases WHERE reference = $1", [opened.reference])).rows[0]!;
    // A key that should never have been stored (a full card number): the presenter leaves it behind.
    await app.db.query(`UPDATE cases SET details = details || '{"cardNumber": "6222021234567890123"}'::jsonb WHERE id = $1`, [id]);
    const expected = {
      kind: "disputed_transaction",
      transactionId: "T-42",
      amount: 3280,
      currency: "CNY",
      merchant: "LUCKY MART SHENZHEN",
      date: "2026-11-20",
      account: "Platinum Credit Card",
    };
    const page = await call("GET", `/cases/${id}`);
    expect(page.body.details).toEqual(expected);
    const listed = (await call("GET", `/cases?view=all`)).body.items.find((c: Json) => c.id === id);
    expect(listed.details).toEqual(expected);
    expect(JSON.stringify(page.body)).not.toContain("6222021234567890123");
    // An ordinary complaint has no details.
    expect((await call("GET", `/cases/${(await newCase()).id}`)).body.details).toEqual({});
  });
});
