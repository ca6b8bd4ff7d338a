/**
 * Retention of complaint cases (issues #13 and #17): the organisation sets how long a
 * closed case is kept (admins only, at least a year, audited); the daily run then
 * anonymises each case closed longer ago than that, keeping what the complaints report
 * counts and removing the free text from the case, its timeline and its audit entries,
 * never a case still running, closed more recently, or under a legal hold; a customer
 * left with nothing is anonymised too. On the embedded database, or PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { PRESETS } from "../../server/cases/jurisdictions.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASSWORD = "correct-horse-battery";
const DAY = 86_400_000;
let app: TestApp;
let admin: Session;
let agent: Session;
let website = "";
let reference = 0;

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

const one = async <T = Json>(sql: string, params: unknown[] = []) => (await app.db.query(sql, params)).rows[0] as T;

async function contact(name: string): Promise<string> {
  return (
    await one<{ id: string }>("INSERT INTO contacts (name, email, phone) VALUES ($1, $2, '13812345678') RETURNING id", [
      name,
      `${name.replace(/\W/g, "")}@example.com`,
    ])
  ).id;
}

async function openConversation(contactId: string): Promise<string> {
  return (
    await one<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id", [
      website,
      contactId,
    ])
  ).id;
}

/**
 * A complaint case received 900 days ago, as the cases' commands leave it: a summary, a
 * root cause, a remedy with a refund and a process change, a disputed transaction's
 * details, and a timeline (with its audit entries) holding a note, an extension's
 * reason, a letter's body and the outcome's text. Closed `closedDaysAgo` days ago
 * (null: still investigating).
 */
async function complaint(contactId: string, closedDaysAgo: number | null, conversationId?: string) {
  const ref = `CR-2023-${String(++reference).padStart(6, "0")}`;
  const category = (await one<{ id: string }>("SELECT id FROM case_taxonomy WHERE kind = 'category' AND code = 'fees_charges'")).id;
  const c = await one<{ id: string }>(
    `INSERT INTO cases (reference, contact_id, inbox_id, source, language, summary, category_id, severity, status,
                        jurisdiction, policy, received_at, acknowledged_at, due_at, final_response_at, closed_at,
                        root_cause, remedy, details)
     VALUES ($1, $2, $3, 'agent', 'en', 'Li Wei says the branch manager shouted at her', $4, 'high', $5,
             'cn', $6, now() - interval '900 days', now() - interval '899 days', now() - interval '885 days',
             now() - interval '890 days', now() - make_interval(days => $7::int),
             'Manager Zhang ignored the fee waiver', $8, $9)
     RETURNING id`,
    [
      ref,
      contactId,
      website,
      category,
      closedDaysAgo === null ? "investigating" : "closed",
      JSON.stringify(PRESETS.cn),
      closedDaysAgo ?? 0,
      JSON.stringify({ refundAmount: 50, currency: "CNY", apology: true, processChange: "Retrain Zhang's branch" }),
      JSON.stringify({ transactionId: "tx-991", merchant: "Li's Noodles", amount: 50 }),
    ],
  );
  if (closedDaysAgo === null) await app.db.query("UPDATE cases SET closed_at = NULL WHERE id = $1", [c.id]);
  if (conversationId)
    await app.db.query("INSERT INTO case_conversations (case_id, conversation_id) VALUES ($1, $2)", [c.id, conversationId]);
  const events: Array<[string, Json]> = [
    ["received", { source: "agent", jurisdiction: "cn", dueDate: "2023-07-01" }],
    ["status_changed", { from: "received", to: "acknowledged", note: "Called Li Wei on 13812345678" }],
    ["deadline_extended", { reason: "Waiting for Zhang's statement", extension: 1, toDueAt: "2023-07-30T16:00:00.000Z" }],
    ["letter_sent", { letter: "final_response", language: "en", messageId: "m1", text: "Dear Li Wei, we are sorry…" }],
    [
      "classified",
      {
        changes: {
          summary: { from: "Shouted at", to: "Li Wei says the branch manager shouted at her" },
          severity: { from: "medium", to: "high" },
        },
      },
    ],
    [
      "outcome_recorded",
      {
        changes: {
          rootCause: { from: null, to: "Manager Zhang ignored the fee waiver" },
          remedy: { from: {}, to: { refundAmount: 50, currency: "CNY", apology: true, processChange: "Retrain Zhang's branch" } },
        },
      },
    ],
  ];
  for (const [kind, data] of events) {
    await app.db.query("INSERT INTO case_events (case_id, actor_type, kind, data) VALUES ($1, 'system', $2, $3)", [
      c.id,
      kind,
      JSON.stringify(data),
    ]);
    await app.db.query("INSERT INTO audit_log (actor_type, action, target_type, target_id, data) VALUES ('system', $1, 'case', $2, $3)", [
      `case.${kind}`,
      c.id,
      JSON.stringify({ reference: ref, ...data }),
    ]);
  }
  return { id: c.id, reference: ref };
}

/** Everything about a case that holds free text, as one string to search. */
const freeText = async (caseId: string) =>
  JSON.stringify([
    await one("SELECT summary, root_cause, remedy, details FROM cases WHERE id = $1", [caseId]),
    (await app.db.query("SELECT data FROM case_events WHERE case_id = $1 ORDER BY id", [caseId])).rows,
    (await app.db.query("SELECT data FROM audit_log WHERE target_type = 'case' AND target_id = $1 ORDER BY id", [caseId])).rows,
  ]);
const TEXTS = ["shouted", "Zhang", "13812345678", "Dear Li Wei", "Li's Noodles", "tx-991"];

beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  await createAgent(app.ctx, { actor: SYSTEM, email: "dpo@cases.example", name: "Dana DPO", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, { actor: SYSTEM, email: "pat@cases.example", name: "Pat Plain", role: "agent", password: PASSWORD });
  admin = await signInAgent(app, "dpo@cases.example", PASSWORD);
  agent = await signInAgent(app, "pat@cases.example", PASSWORD);
  website = (await one<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("case retention", () => {
  it("is the organisation's setting: admins only, at least a year or for ever, audited", async () => {
    expect((await call(admin, "GET", "/admin/organisation")).body).toMatchObject({ caseRetentionDays: null });
    expect((await call(agent, "PATCH", "/admin/organisation", { caseRetentionDays: 1825 })).status).toBe(403);
    for (const bad of [30, 364, 36_501, 400.5, "730"]) {
      const r = await call(admin, "PATCH", "/admin/organisation", { caseRetentionDays: bad });
      expect(r.status, String(bad)).toBe(400);
    }
    expect((await call(admin, "GET", "/admin/organisation")).body).toMatchObject({ caseRetentionDays: null });
    expect(await one("SELECT count(*)::int AS n FROM audit_log WHERE action = 'organisation.updated'")).toEqual({ n: 0 });

    const set = await call(admin, "PATCH", "/admin/organisation", { caseRetentionDays: 730 });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ requireStaffTwoFactor: false, caseRetentionDays: 730 });
    expect((await call(admin, "GET", "/admin/organisation")).body).toEqual({ requireStaffTwoFactor: false, caseRetentionDays: 730 });
    const audit = await one<{ actor_type: string; data: Json }>(
      "SELECT actor_type, data FROM audit_log WHERE action = 'organisation.updated'",
    );
    expect(audit).toEqual({ actor_type: "agent", data: { changes: { caseRetentionDays: { from: null, to: 730 } } } });
    // Back to for ever, then the runs below set it again.
    expect((await call(admin, "PATCH", "/admin/organisation", { caseRetentionDays: null })).body.caseRetentionDays).toBeNull();
  });

  it("anonymises closed cases past the period, keeping what the reports count, and nothing else", async () => {
    const alone = await contact("Case Only Customer");
    const chatting = await contact("Still Chatting Customer");
    const held = await contact("Held Customer");
    const chattingConversation = await openConversation(chatting);
    const heldConversation = await openConversation(chatting);
    const pastDue = await complaint(alone, 800);
    const pastDueLinked = await complaint(chatting, 731, chattingConversation);
    const recent = await complaint(chatting, 400);
    const running = await complaint(chatting, null);
    const ofHeldCustomer = await complaint(held, 800);
    const ofHeldConversation = await complaint(chatting, 800, heldConversation);
    expect((await call(admin, "POST", "/admin/legal-holds", { contactId: held, reason: "Ombudsman referral" })).status).toBe(201);
    expect((await call(admin, "POST", "/admin/legal-holds", { conversationId: heldConversation, reason: "Litigation" })).status).toBe(201);

    // Kept for ever by default: nothing happens to any case.
    expect((await call(admin, "POST", "/admin/retention/run")).body).toMatchObject({ anonymisedCases: 0, casesHeldBack: 0 });
    expect(await freeText(pastDue.id)).toContain("Zhang");

    expect((await call(admin, "PATCH", "/admin/organisation", { caseRetentionDays: 730 })).status).toBe(200);
    const run = await call(admin, "POST", "/admin/retention/run");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ anonymisedCases: 2, caseEventsScrubbed: 10, casesHeldBack: 2, contactsAnonymised: 1 });
    const audit = await one<{ data: Json }>("SELECT data FROM audit_log WHERE action = 'retention.run' ORDER BY id DESC LIMIT 1");
    expect(audit.data).toMatchObject({ anonymisedCases: 2, caseEventsScrubbed: 10, casesHeldBack: 2, contactsAnonymised: 1 });

    for (const c of [pastDue, pastDueLinked]) {
      const text = await freeText(c.id);
      for (const t of TEXTS) expect(text, t).not.toContain(t);
      // What the reports count stays: reference, classification, clocks, status, the refund and the fact of a process change.
      expect(
        await one(
          `SELECT reference, summary, root_cause, details, remedy, severity, status, anonymised_at IS NOT NULL AS anonymised,
                  received_at IS NOT NULL AND acknowledged_at IS NOT NULL AND final_response_at IS NOT NULL AND closed_at IS NOT NULL AS dated
             FROM cases WHERE id = $1`,
          [c.id],
        ),
      ).toEqual({
        reference: c.reference,
        summary: "",
        root_cause: null,
        details: {},
        remedy: { refundAmount: 50, currency: "CNY", apology: true, processChangeRecorded: true },
        severity: "high",
        status: "closed",
        anonymised: true,
        dated: true,
      });
      const timeline = (
        await app.db.query<{ kind: string; data: Json }>("SELECT kind, data FROM case_events WHERE case_id = $1 ORDER BY id", [c.id])
      ).rows;
      expect(timeline.map((e) => e.kind)).toEqual([
        "received",
        "status_changed",
        "deadline_extended",
        "letter_sent",
        "classified",
        "outcome_recorded",
      ]);
      expect(timeline[1]!.data).toEqual({ from: "received", to: "acknowledged" });
      expect(timeline[3]!.data).toEqual({ letter: "final_response", language: "en", messageId: "m1" });
      expect(timeline[4]!.data).toEqual({ changes: { severity: { from: "medium", to: "high" } } });
      expect(timeline[5]!.data).toEqual({
        changes: { remedy: { from: {}, to: { refundAmount: 50, currency: "CNY", apology: true } } },
      });
    }
    // Closed within the period, still running, or under a hold (on the customer, or on a linked conversation): untouched.
    for (const c of [recent, running, ofHeldCustomer, ofHeldConversation]) {
      const text = await freeText(c.id);
      for (const t of TEXTS) expect(text, t).toContain(t);
      expect(await one("SELECT anonymised_at FROM cases WHERE id = $1", [c.id])).toEqual({ anonymised_at: null });
    }
    // The customer left with nothing is anonymised; one with an open conversation, or held, keeps their details.
    expect(await one("SELECT name, email, phone, anonymised_at IS NOT NULL AS done FROM contacts WHERE id = $1", [alone])).toEqual({
      name: null,
      email: null,
      phone: null,
      done: true,
    });
    expect(await one("SELECT name FROM contacts WHERE id = $1", [chatting])).toEqual({ name: "Still Chatting Customer" });
    expect(await one("SELECT name FROM contacts WHERE id = $1", [held])).toEqual({ name: "Held Customer" });

    // The complaints report still counts the anonymised cases.
    const received = new Date(Date.now() - 900 * DAY);
    const q = `from=${encodeURIComponent(new Date(received.getTime() - DAY).toISOString())}&to=${encodeURIComponent(new Date(received.getTime() + DAY).toISOString())}`;
    const report = await call(admin, "GET", `/reports/cases?${q}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      total: 6,
      byStatus: { closed: 5, investigating: 1 },
      rootCauses: { items: [{ rootCause: "Manager Zhang ignored the fee waiver", count: 4 }], notRecorded: 0, anonymised: 2 },
      remedies: { refunds: [{ currency: "CNY", total: 300, cases: 6 }], apologies: 6, processChanges: 6 },
    });
    expect(report.body.byCategory).toEqual([expect.objectContaining({ code: "fees_charges", count: 6 })]);
    expect(report.body.timeToFinalResponse.cases).toBe(6);

    // An anonymised case is a closed record: it cannot be reopened or edited.
    const reopen = await call(admin, "POST", `/cases/${pastDue.id}/status`, { status: "reopened" });
    expect(reopen.status).toBe(409);
    expect((await call(admin, "PATCH", `/cases/${pastDue.id}`, { summary: "New text" })).status).toBe(409);

    // A second run finds nothing new; releasing the customer's hold lets the next one take their case.
    expect((await call(admin, "POST", "/admin/retention/run")).body).toMatchObject({ anonymisedCases: 0, casesHeldBack: 2 });
    const hold = await one<{ id: string }>("SELECT id FROM legal_holds WHERE contact_id = $1", [held]);
    expect((await call(admin, "POST", `/admin/legal-holds/${hold.id}/release`, { reason: "Referral closed" })).status).toBe(200);
    expect((await call(admin, "POST", "/admin/retention/run")).body).toMatchObject({
      anonymisedCases: 1,
      casesHeldBack: 1,
      contactsAnonymised: 1,
    });
    expect(await one("SELECT name FROM contacts WHERE id = $1", [held])).toEqual({ name: null });
  });
});
