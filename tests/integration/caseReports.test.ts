/**
 * The complaints report and its CSV on seeded cases with fixed dates (mainland China
 * rules, March 2026): volume by category and product, time to acknowledge and to the
 * final response in working days, breaches per clock, root causes, repeat complainants,
 * remedies; what an agent sees; the CSV's rows, escaping and who may take it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { computeCaseClock } from "../../server/cases/caseClock.ts";
import { PRESETS } from "../../server/cases/jurisdictions.ts";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let app: TestApp;
let admin: { cookie: string; csrf: string };
let agent: { cookie: string; csrf: string };
const PASSWORD = "case-reports-password";
const q = `from=${encodeURIComponent("2026-03-01T00:00:00Z")}&to=${encodeURIComponent("2026-04-01T00:00:00Z")}`;
const EVIL = `=HYPERLINK("http://evil.example","click")`;

beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  const team = async (slug: string) => (await app.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = $1", [slug])).rows[0]!.id;
  const [care, general] = [await team("care"), await team("general")];
  await createAgent(app.ctx, { actor: SYSTEM, email: "boss@cases.example", name: "Boss", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "kim@cases.example",
    name: "Kim",
    role: "agent",
    password: PASSWORD,
    teamIds: [care],
  });
  admin = await signInAgent(app, "boss@cases.example", PASSWORD);
  agent = await signInAgent(app, "kim@cases.example", PASSWORD);
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const taxonomy = async (code: string) =>
    (await app.db.query<{ id: string }>("SELECT id FROM case_taxonomy WHERE code = $1", [code])).rows[0]!.id;
  const contact = async (name: string) =>
    (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
  const wang = await contact("王芳");
  const evil = await contact(EVIL);

  /** A case opened through the command, then moved to fixed dates and outcomes. */
  const seed = async (contactId: string, received: string, set: Json) => {
    const conv = (
      await app.db.query<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id", [
        inbox,
        contactId,
      ])
    ).rows[0]!.id;
    const { case: c } = await openCase(app.ctx, { actor: SYSTEM, conversationId: conv, summary: "Complaint", source: "agent" });
    const clock = computeCaseClock(PRESETS.cn, new Date(received));
    await app.db.query(
      `UPDATE cases SET received_at = $2, acknowledge_due_at = $3, due_at = $4, policy = $5, jurisdiction = 'cn',
         acknowledged_at = $6, final_response_at = $7, status = $8, team_id = $9, category_id = $10, product_id = $11,
         root_cause = $12, remedy = $13 WHERE id = $1`,
      [
        c.id,
        received,
        clock.acknowledgeDueAt,
        clock.dueAt,
        JSON.stringify(PRESETS.cn),
        set.acknowledged ?? null,
        set.finalResponse ?? null,
        set.status ?? "received",
        set.team ?? null,
        set.category ? await taxonomy(set.category) : null,
        set.product ? await taxonomy(set.product) : null,
        set.rootCause ?? null,
        JSON.stringify(set.remedy ?? {}),
      ],
    );
    return c.reference;
  };
  // A: Mon 2 Mar (Shanghai), acknowledged the same day, answered Mon 9 Mar (5 working days): on time.
  await seed(wang, "2026-03-02T02:00:00Z", {
    acknowledged: "2026-03-02T06:00:00Z",
    finalResponse: "2026-03-09T02:00:00Z",
    status: "closed",
    team: care,
    category: "fees_charges",
    product: "credit_card",
    rootCause: "Fee charged twice",
    remedy: { refundAmount: 100, currency: "CNY", apology: true },
  });
  // B: Tue 3 Mar, acknowledged Thu 5 Mar (2nd working day: late), answered Tue 31 Mar (20th working day: late).
  await seed(wang, "2026-03-03T02:00:00Z", {
    acknowledged: "2026-03-05T02:00:00Z",
    finalResponse: "2026-03-31T02:00:00Z",
    status: "final_response",
    category: "fees_charges",
    product: "debit_card",
    rootCause: "fee  charged twice ",
    remedy: { processChange: "Fix the fee batch" },
  });
  // C: Tue 10 Mar, never acknowledged nor answered (both clocks long past), in a team the agent is not in.
  await seed(evil, "2026-03-10T02:00:00Z", { team: general, product: "credit_card" });
  // Outside the range.
  await seed(wang, "2026-02-24T02:00:00Z", { category: "mis_selling" });
});
afterAll(() => app?.close());

/** The fields of one CSV line (RFC 4180 quoting; no line breaks inside fields here). */
function fields(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"([\s\S]*)"$/, "$1").replace(/""/g, '"'));
}

const get = (s: { cookie: string }, path: string) => fetch(`${app.url}/api/v1${path}`, { headers: { cookie: s.cookie } });

describe("complaints report", () => {
  it("gives volume, times in working days, breaches, root causes, repeat complainants and remedies for the range", async () => {
    const res = await get(admin, `/reports/cases?${q}`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Json;
    expect(r.total).toBe(3);
    expect(r.byStatus).toEqual({ closed: 1, final_response: 1, received: 1 });
    expect(r.byCategory.map((c: Json) => [c.code, c.count])).toEqual([
      ["fees_charges", 2],
      [null, 1],
    ]);
    expect(r.byProduct.map((c: Json) => [c.code, c.nameZh, c.count])).toEqual([
      ["credit_card", "信用卡", 2],
      ["debit_card", "借记卡", 1],
    ]);
    expect(r.timeToAcknowledge).toEqual({
      cases: 2,
      medianBusinessDays: 1,
      p90BusinessDays: 1.8,
      medianCalendarDays: 1,
      p90CalendarDays: 1.8,
    });
    expect(r.timeToFinalResponse).toEqual({
      cases: 2,
      medianBusinessDays: 12.5,
      p90BusinessDays: 18.5,
      medianCalendarDays: 17.5,
      p90CalendarDays: 25.9,
    });
    expect(r.breaches).toEqual({
      acknowledge: { clocks: 3, breached: 2, share: 0.667 },
      finalResponse: { clocks: 3, breached: 2, share: 0.667 },
    });
    expect(r.rootCauses).toEqual({ items: [{ rootCause: "Fee charged twice", count: 2 }], notRecorded: 1, anonymised: 0 });
    expect(r.repeatComplainants.count).toBe(1);
    expect(r.repeatComplainants.items[0]).toMatchObject({ name: "王芳", cases: 2 });
    expect(r.remedies).toEqual({ refunds: [{ currency: "CNY", total: 100, cases: 1 }], apologies: 1, processChanges: 1 });
  });

  it("covers for an agent only the cases they may read (their teams' and unteamed ones)", async () => {
    const r = (await (await get(agent, `/reports/cases?${q}`)).json()) as Json;
    expect(r.total).toBe(2);
    expect(r.breaches.acknowledge).toEqual({ clocks: 2, breached: 1, share: 0.5 });
    expect(r.repeatComplainants.count).toBe(1);
  });

  it("refuses a range that is not one", async () => {
    const res = await get(admin, `/reports/cases?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect(res.status).toBe(400);
  });
});

describe("complaints CSV", () => {
  it("exports one formula-safe row per case to admins, on record", async () => {
    const res = await get(admin, `/reports/cases.csv?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toContain("bankdesk-cases-2026-03-01-2026-04-01.csv");
    const text = (await res.text()).replace(/^\uFEFF/, "");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^reference,received_at,source,status,severity,category,product,/);
    expect(lines).toHaveLength(4);
    const header = fields(lines[0]!);
    const first = fields(lines[1]!);
    expect(header).toHaveLength(first.length);
    const col = (name: string) => first[header.indexOf(name)];
    expect(col("received_at")).toBe("2026-03-02T02:00:00.000Z");
    expect(col("acknowledge_business_days")).toBe("0");
    expect(col("final_response_business_days")).toBe("5");
    expect(col("final_response_breached")).toBe("false");
    expect(col("refund_amount")).toBe("100");
    expect(col("apology")).toBe("true");
    expect(col("category")).toBe("Fees, charges and interest");
    expect(fields(lines[2]!)[header.indexOf("acknowledge_breached")]).toBe("true");
    // The customer named like a formula is quoted and made text.
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const audit = await app.db.query<{ data: Json }>(
      "SELECT data FROM audit_log WHERE action = 'reports.export' AND target_type = 'cases'",
    );
    expect(audit.rows[0]?.data).toMatchObject({ kind: "cases", rows: 3 });
    const logged = await app.db.query("SELECT 1 FROM access_log WHERE subject_type = 'export' AND subject_id = 'reports.cases'");
    expect(logged.rowCount).toBe(1);
  });

  it("is refused to agents: it names customers", async () => {
    expect((await get(agent, `/reports/cases.csv?${q}`)).status).toBe(403);
  });
});
