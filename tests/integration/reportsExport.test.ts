import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { SYSTEM } from "../../server/actor.ts";

/** Reports per day and the CSV export (escaping, formula injection, who may export what). */
let app: TestApp;
let admin: { cookie: string; csrf: string };
let agent: { cookie: string; csrf: string };
const PASSWORD = "reports-test-password";
const FROM = "2026-03-01T00:00:00.000Z";
const TO = "2026-03-04T00:00:00.000Z";

beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  await createAgent(app.ctx, { actor: SYSTEM, email: "boss@reports.example", name: "Boss", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, { actor: SYSTEM, email: "kim@reports.example", name: "Kim", role: "agent", password: PASSWORD });
  admin = await signInAgent(app, "boss@reports.example", PASSWORD);
  agent = await signInAgent(app, "kim@reports.example", PASSWORD);
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const contact = async (name: string) =>
    (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
  const evil = await contact(`=HYPERLINK("http://evil.example","click"), "quoted"`);
  const plain = await contact("王芳");
  // Day 1: one contained by the bot, one handed off (reply after 60 s, resolved after 600 s, CSAT 4).
  // Day 3: one handed off, never answered.
  const conv = async (contactId: string, created: string, extra: Record<string, string | null>) => {
    const { rows } = await app.db.query<{ id: string }>(
      `INSERT INTO conversations (inbox_id, contact_id, status, created_at, handed_off_at, first_reply_at, resolved_at, handoff_reason, labels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        inbox,
        contactId,
        extra.status ?? "resolved",
        created,
        extra.handed_off_at ?? null,
        extra.first_reply_at ?? null,
        extra.resolved_at ?? null,
        extra.handoff_reason ?? null,
        ["-vip", "fraud,urgent"],
      ],
    );
    return rows[0]!.id;
  };
  await conv(plain, "2026-03-01T09:00:00Z", { resolved_at: "2026-03-01T09:05:00Z" });
  const c2 = await conv(evil, "2026-03-01T10:00:00Z", {
    handed_off_at: "2026-03-01T10:01:00Z",
    first_reply_at: "2026-03-01T10:02:00Z",
    resolved_at: "2026-03-01T10:10:00Z",
    handoff_reason: "explicit_request",
  });
  await app.db.query("INSERT INTO csat_responses (conversation_id, rating) VALUES ($1, 4)", [c2]);
  await conv(plain, "2026-03-03T12:00:00Z", { status: "open", handed_off_at: "2026-03-03T12:00:30Z", handoff_reason: "sensitive_topic" });
  // Outside the range.
  await conv(plain, "2026-02-27T12:00:00Z", {});
});
afterAll(() => app?.close());

const get = (s: { cookie: string }, path: string) => fetch(`${app.url}/api/v1${path}`, { headers: { cookie: s.cookie } });
const q = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe("reports", () => {
  it("summarises the range with per-day figures", async () => {
    const r = await get(agent, `/reports/summary?${q}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      conversations: 3,
      containmentRate: 1 / 3,
      handoffsByReason: { explicit_request: 1, sensitive_topic: 1 },
      firstResponse: { median: 60 },
      csat: { average: 4, responses: 1 },
    });
    expect(body.daily).toEqual([
      {
        day: "2026-03-01",
        n: 2,
        handed_off: 1,
        bot_resolved: 1,
        frt_median: 60,
        res_median: 450,
        csat_average: 4,
        answers_helpful: 0,
        answers_not_helpful: 0,
        answers_in_words: 0,
      },
      {
        day: "2026-03-03",
        n: 1,
        handed_off: 1,
        bot_resolved: 0,
        frt_median: null,
        res_median: null,
        csat_average: null,
        answers_helpful: 0,
        answers_not_helpful: 0,
        answers_in_words: 0,
      },
    ]);
  });

  it("exports the daily figures as CSV to agents", async () => {
    const r = await get(agent, `/reports/export.csv?${q}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="bankdesk-daily-2026-03-01-2026-03-04.csv"');
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads UTF-8
    expect(bytes.subarray(3).toString("utf8")).toBe(
      "day,conversations,handed_off,bot_resolved,containment_rate,first_response_median_seconds,resolution_median_seconds,csat_average,answers_helpful,answers_not_helpful,helpful_rate\r\n" +
        "2026-03-01,2,1,1,0.5,60,450,4,0,0,\r\n" +
        "2026-03-03,1,1,0,0,,,,0,0,\r\n",
    );
  });

  it("exports conversations to admins only, escaped and safe from formula injection", async () => {
    expect((await get(agent, `/reports/export.csv?${q}&kind=conversations`)).status).toBe(403);
    const r = await get(admin, `/reports/export.csv?${q}&kind=conversations`);
    expect(r.status).toBe(200);
    const lines = (await r.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(
      "conversation,created_at,status,inbox,team,assignee,contact,handoff_reason,first_response_seconds,resolution_seconds,csat,sentiment,labels,answers_helpful,answers_not_helpful",
    );
    expect(lines).toHaveLength(5); // header, three rows, final empty line
    const evil = lines.find((l) => l.includes("HYPERLINK"))!;
    // The name is quoted (it has a comma and quotes), its quotes doubled, and prefixed so it is not a formula.
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""quoted"""`);
    expect(evil).toContain(",explicit_request,60,600,4,,");
    // Labels: a list in one cell; the leading "-" would be a formula and is neutralised.
    expect(evil.endsWith(`"'-vip; fraud,urgent",0,0`)).toBe(true);
    expect(lines.some((l) => l.includes(",王芳,"))).toBe(true);
    const audit = await app.db.query<{ data: { rows: number } }>("SELECT data FROM audit_log WHERE action = 'reports.export'");
    expect(audit.rows.map((r) => r.data.rows)).toEqual([3]);
  });

  it("counts for an agent only the conversations they may read, unanswered questions included", async () => {
    const team = await createTeam(app.ctx, { actor: SYSTEM, name: "Cards (reports)", slug: "cards-reports" });
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "lee@reports.example",
      name: "Lee",
      role: "agent",
      password: PASSWORD,
      teamIds: [team.id],
    });
    const lee = await signInAgent(app, "lee@reports.example", PASSWORD);
    // Another team's conversation (Kim is in no team), on a day of its own, where the assistant declined a question.
    const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Card holder') RETURNING id")).rows[0]!.id;
    const c = (
      await app.db.query<{ id: string }>(
        "INSERT INTO conversations (inbox_id, contact_id, status, team_id, created_at) VALUES ($1, $2, 'pending', $3, '2026-04-01T09:00:00Z') RETURNING id",
        [inbox, contact, team.id],
      )
    ).rows[0]!.id;
    const question = (
      await app.db.query<{ id: string }>(
        `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, created_at)
         VALUES ($1, 1, 'incoming', 'contact', 'Can my card limit go above the cap for a house deposit?', '2026-04-01T09:00:00Z') RETURNING id`,
        [c],
      )
    ).rows[0]!.id;
    await app.db.query(
      `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, content_attributes, created_at)
       VALUES ($1, 2, 'outgoing', 'bot', 'I am not sure.', $2, '2026-04-01T09:00:01Z')`,
      [c, JSON.stringify({ replyTo: question, declined: true })],
    );
    const april = `from=2026-04-01T00:00:00.000Z&to=2026-04-02T00:00:00.000Z`;
    const summary = async (s: { cookie: string }, extra = "") => {
      const r = await get(s, `/reports/summary?${april}${extra}`);
      expect(r.status).toBe(200);
      return (await r.json()) as { conversations: number; unansweredQuestions: Array<{ text: string }> };
    };
    for (const reader of [admin, lee]) {
      const seen = await summary(reader);
      expect(seen.conversations).toBe(1);
      expect(seen.unansweredQuestions.map((u) => u.text)).toEqual(["Can my card limit go above the cap for a house deposit?"]);
    }
    expect(await summary(lee, `&teamId=${team.id}`)).toMatchObject({ conversations: 1 });
    expect(await summary(agent)).toMatchObject({ conversations: 0, unansweredQuestions: [] });
    // Kim asking for the team's figures by name is refused; the CSV says the same as the summary.
    expect((await get(agent, `/reports/summary?${april}&teamId=${team.id}`)).status).toBe(403);
    expect((await get(agent, `/reports/export.csv?${april}&teamId=${team.id}`)).status).toBe(403);
    const csv = await (await get(agent, `/reports/export.csv?${april}`)).text();
    expect(
      csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n"),
    ).toHaveLength(1); // the header only
  });

  it("refuses bad ranges and anonymous requests", async () => {
    expect((await get(agent, `/reports/export.csv?from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`)).status).toBe(400);
    expect((await get(agent, "/reports/export.csv?from=2020-01-01&to=2026-01-01")).status).toBe(400);
    expect((await fetch(`${app.url}/api/v1/reports/export.csv`)).status).toBe(401);
  });
});
