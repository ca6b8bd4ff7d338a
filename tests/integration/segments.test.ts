/**
 * Customer segments (issue #17 §3): saved filters on customers that admins define
 * (validated, audited), with how many customers each holds, used as a filter of the
 * conversation list (within what the agent may read) and of the reports' overview.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: TestApp;
let admin: Session;
let agent: Session;
const PASSWORD = "segments-password-123";
const team: Record<string, string> = {};
const who: Record<string, { contact: string; conv: string }> = {};
const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

beforeAll(async () => {
  app = await startTestApp();
  for (const r of (await app.db.query<{ id: string; slug: string }>("SELECT id, slug FROM teams")).rows) team[r.slug] = r.id;
  await createAgent(app.ctx, { actor: SYSTEM, email: "sup@seg.example", name: "Sup", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "cards@seg.example",
    name: "Cara",
    role: "agent",
    password: PASSWORD,
    teamIds: [team.cards!],
  });
  admin = await signInAgent(app, "sup@seg.example", PASSWORD);
  agent = await signInAgent(app, "cards@seg.example", PASSWORD);
  const website = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const wechat = (
    await app.db.query<{ id: string }>(
      "INSERT INTO inboxes (slug, name, channel, identity_secret) VALUES ('wx', 'WeChat', 'wechat', 'x') RETURNING id",
    )
  ).rows[0]!.id;
  const customer = async (name: string, inboxId: string, teamId: string, labels: string[] = []) => {
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
    const conv = (
      await app.db.query<{ id: string }>(
        "INSERT INTO conversations (inbox_id, contact_id, status, team_id, labels) VALUES ($1, $2, 'open', $3, $4) RETURNING id",
        [inboxId, contact, teamId, labels],
      )
    ).rows[0]!.id;
    who[name] = { contact, conv };
  };
  // Ann: flagged vulnerable, a complaint running, writes on WeChat about her mortgage.
  await customer("Ann", wechat, team.cards!, ["mortgage"]);
  await app.db.query(
    "INSERT INTO contact_vulnerabilities (contact_id, kind, consent_confirmed, note) VALUES ($1, 'bereavement', true, 'x')",
    [who.Ann!.contact],
  );
  expect(
    (await call(admin, "POST", "/cases", { conversationId: who.Ann!.conv, summary: "Fee charged after bereavement notice" })).status,
  ).toBe(201);
  // Bo: a detractor (latest answer 3). Cy: was a detractor, then a promoter (latest 9). Di: nothing; another team's.
  await customer("Bo", website, team.cards!);
  await customer("Cy", website, team.cards!);
  await customer("Di", website, team.deposits!);
  const answer = (name: string, score: number, daysAgo: number) =>
    app.db.query(
      `INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, answered_at, asked_at)
       SELECT $1, $2, inbox_id, $3, now() - make_interval(days => $4), now() - make_interval(days => $4) FROM conversations WHERE id = $1`,
      [who[name]!.conv, who[name]!.contact, score, daysAgo],
    );
  await answer("Bo", 3, 1);
  await answer("Cy", 9, 1);
  // Di's detractor answer in a second conversation of theirs (another team's).
  const di2 = (
    await app.db.query<{ id: string }>(
      "INSERT INTO conversations (inbox_id, contact_id, status, team_id) VALUES ($1, $2, 'resolved', $3) RETURNING id",
      [website, who.Di!.contact, team.deposits],
    )
  ).rows[0]!.id;
  await app.db.query(
    "INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, answered_at) VALUES ($1, $2, $3, 2, now())",
    [di2, who.Di!.contact, website],
  );
});
afterAll(() => app?.close());

const names = (items: Json[]) => items.map((c) => c.contact.name).sort();

describe("customer segments", () => {
  let care = "";
  let detractors = "";

  it("are defined by admins, validated and audited", async () => {
    expect((await call(agent, "POST", "/segments", { name: "x", criteria: { vulnerable: true } })).status).toBe(403);
    expect((await call(admin, "POST", "/segments", { name: "Nothing", criteria: {} })).status).toBe(400);
    expect((await call(admin, "POST", "/segments", { name: "Odd", criteria: { balance: 1000 } })).status).toBe(400);
    expect((await call(admin, "POST", "/segments", { name: "Fax", criteria: { channels: ["fax"] } })).status).toBe(400);
    const created = await call(admin, "POST", "/segments", {
      name: "Needs care",
      description: "Vulnerable customers with a complaint running",
      criteria: { vulnerable: true, openComplaint: true },
    });
    expect(created.status).toBe(201);
    care = created.body.id;
    expect((await call(admin, "POST", "/segments", { name: "needs CARE", criteria: { verified: true } })).status).toBe(409);
    detractors = (await call(admin, "POST", "/segments", { name: "Detractors", criteria: { npsDetractor: true } })).body.id;
    const changed = await call(admin, "PATCH", `/segments/${care}`, {
      criteria: { vulnerable: true, openComplaint: true, channels: ["wechat"] },
    });
    expect(changed.status).toBe(200);
    const audit = await app.db.query<Json>("SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY id", [care]);
    expect(audit.rows.map((a) => a.action)).toEqual(["segment.create", "segment.update"]);
    expect(audit.rows[1]!.data.changes.criteria.to).toEqual({ vulnerable: true, openComplaint: true, channels: ["wechat"] });
  });

  it("count their customers, and filter the conversation list within what the agent may read", async () => {
    const list = await call(agent, "GET", "/segments");
    expect(list.status).toBe(200);
    const count = (id: string) => (list.body.items as Json[]).find((s) => s.id === id)!.contacts;
    expect(count(care)).toBe(1);
    // Bo and Di (latest answers 3 and 2); not Cy, whose latest is 9.
    expect(count(detractors)).toBe(2);

    expect(names((await call(admin, "GET", `/conversations?segmentId=${care}`)).body.items)).toEqual(["Ann"]);
    expect(names((await call(admin, "GET", `/conversations?segmentId=${detractors}`)).body.items)).toEqual(["Bo", "Di", "Di"]);
    // The agent of the cards team: Di's conversations are the deposits team's.
    const mine = await call(agent, "GET", `/conversations?segmentId=${detractors}`);
    expect(names(mine.body.items)).toEqual(["Bo"]);
    expect(mine.body.total).toBe(1);
    // Negated and combined: not vulnerable, on the website, not a detractor.
    const calm = (
      await call(admin, "POST", "/segments", { name: "Calm web", criteria: { vulnerable: false, npsDetractor: false, channels: ["web"] } })
    ).body.id;
    // (The demo's own web customers are in it too: only ours are looked at.)
    const ours = (items: Json[]) => names(items).filter((n) => n in who);
    expect(ours((await call(admin, "GET", `/conversations?segmentId=${calm}&status=open`)).body.items)).toEqual(["Cy"]);
    const labelled = (await call(admin, "POST", "/segments", { name: "Mortgage", criteria: { labels: ["Mortgage"] } })).body;
    expect(labelled.criteria).toEqual({ labels: ["mortgage"] });
    expect(names((await call(admin, "GET", `/conversations?segmentId=${labelled.id}`)).body.items)).toEqual(["Ann"]);
    expect((await call(admin, "GET", `/conversations?segmentId=${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("filter the reports' overview", async () => {
    const all = await call(admin, "GET", "/reports/summary");
    const seg = await call(admin, "GET", `/reports/summary?segmentId=${detractors}`);
    expect(seg.status).toBe(200);
    expect(all.body.conversations).toBeGreaterThan(3);
    expect(seg.body.conversations).toBe(3);
    expect((await call(agent, "GET", `/reports/summary?segmentId=${detractors}`)).body.conversations).toBe(1);
    const csv = await fetch(`${app.url}/api/v1/reports/export.csv?kind=conversations&segmentId=${care}`, {
      headers: { cookie: admin.cookie },
    });
    expect(csv.status).toBe(200);
    const rows = (await csv.text()).trim().split("\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("Ann");

    expect((await call(admin, "DELETE", `/segments/${detractors}`)).status).toBe(204);
    expect((await call(admin, "GET", `/reports/summary?segmentId=${detractors}`)).status).toBe(404);
  });

  it("filter the SLA, complaints and NPS reports and their CSVs to the segment's customers", async () => {
    const csv = async (path: string) => {
      const r = await fetch(`${app.url}/api/v1${path}`, { headers: { cookie: admin.cookie } });
      expect(r.status).toBe(200);
      return (await r.text()).trim().split("\n");
    };
    const unhappy = (await call(admin, "POST", "/segments", { name: "Unhappy", criteria: { npsDetractor: true } })).body.id;
    // SLA: Ann met her first response, Bo missed his, under a policy of this test's own.
    const policy = (
      await app.db.query<{ id: string }>(
        "INSERT INTO sla_policies (name, first_response_minutes, business_hours, active) VALUES ('Segment test', 60, false, false) RETURNING id",
      )
    ).rows[0]!.id;
    const clock = (name: string, met: boolean) =>
      app.db.query(
        `INSERT INTO conversation_slas (conversation_id, policy_id, started_at, first_response_due_at, first_response_at, first_response_breached_at)
         VALUES ($1, $2, now() - interval '3 hours', now() - interval '2 hours', now() - interval '${met ? 150 : 30} minutes', $3)`,
        [who[name]!.conv, policy, met ? null : new Date(Date.now() - 2 * 3600_000)],
      );
    await clock("Ann", true);
    await clock("Bo", false);
    const sla = async (query: string) =>
      ((await call(admin, "GET", `/reports/sla${query}`)).body.items as Json[]).find((p) => p.policyId === policy);
    const everyone = await sla("");
    expect([everyone!.conversations, everyone!.firstResponse.met, everyone!.firstResponse.missed]).toEqual([2, 1, 1]);
    const careSla = await sla(`?segmentId=${care}`);
    expect([careSla!.conversations, careSla!.firstResponse.met, careSla!.firstResponse.missed]).toEqual([1, 1, 0]);
    expect(await sla(`?segmentId=${unhappy}`)).toMatchObject({ conversations: 1, firstResponse: { met: 0, missed: 1 } });
    const slaCsv = (await csv(`/reports/sla.csv?segmentId=${care}`)).filter((l) => l.startsWith("Segment test"));
    expect(slaCsv).toEqual([expect.stringMatching(/^Segment test,false,1,1,0,/)]);

    // Complaints: Ann's case and one of Bo's; the segment keeps its customers' cases.
    expect((await call(admin, "POST", "/cases", { conversationId: who.Bo!.conv, summary: "Card fee charged twice" })).status).toBe(201);
    const allCases = (await call(admin, "GET", "/reports/cases")).body;
    expect(allCases.total).toBeGreaterThanOrEqual(2);
    expect((await call(admin, "GET", `/reports/cases?segmentId=${care}`)).body.total).toBe(1);
    expect((await call(admin, "GET", `/reports/cases?segmentId=${unhappy}`)).body.total).toBe(1);
    const caseCsv = await csv(`/reports/cases.csv?segmentId=${care}`);
    expect(caseCsv).toHaveLength(2);
    expect(caseCsv[1]).toContain("Fee charged after bereavement notice");

    // NPS: Bo (3) and Di (2) are the detractors; Cy's 9 is left out.
    const nps = (await call(admin, "GET", `/reports/nps?segmentId=${unhappy}`)).body;
    expect(nps.overall).toMatchObject({ promoters: 0, detractors: 2, score: -100 });
    expect((await call(admin, "GET", "/reports/nps")).body.overall.promoters).toBeGreaterThanOrEqual(1);
    // The cards agent: Bo's answer only (Di's conversations are the deposits team's).
    expect((await call(agent, "GET", `/reports/nps?segmentId=${unhappy}`)).body.overall).toMatchObject({ detractors: 1, responses: 1 });
    const npsCsv = await csv(`/reports/nps.csv?segmentId=${unhappy}`);
    expect(
      npsCsv
        .slice(1)
        .map((l) => l.split(",")[5])
        .sort(),
    ).toEqual(["Bo", "Di"]);
    const audit = await app.db.query<Json>(
      "SELECT data FROM audit_log WHERE action = 'reports.export' AND target_type = 'nps' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.rows[0]!.data.segmentId).toBe(unhappy);

    // A segment that does not exist is refused, never read as "every customer".
    for (const path of ["/reports/sla", "/reports/cases", "/reports/nps"])
      expect((await call(admin, "GET", `${path}?segmentId=${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("select on a contact attribute, case-insensitively, and only a plain value", async () => {
    await app.db.query(`UPDATE contacts SET attributes = '{"tier": "VIP"}' WHERE id = $1`, [who.Bo!.contact]);
    await app.db.query(`UPDATE contacts SET attributes = '{"tier": {"name": "vip"}}' WHERE id = $1`, [who.Cy!.contact]);
    const created = await call(admin, "POST", "/segments", { name: "VIP", criteria: { contactAttribute: { key: "tier", value: "vip" } } });
    expect(created.status).toBe(201);
    expect(names((await call(admin, "GET", `/conversations?segmentId=${created.body.id}`)).body.items)).toEqual(["Bo"]);
    // Bo's profile names the segments he is in now (the detractors' was deleted above; "Unhappy" holds him).
    const profile = await call(admin, "GET", `/contacts/${who.Bo!.contact}`);
    expect(profile.body.segments.map((g: Json) => g.name)).toEqual(["Unhappy", "VIP"]);
    expect(
      (await call(admin, "POST", "/segments", { name: "Bad key", criteria: { contactAttribute: { key: "a b", value: "x" } } })).status,
    ).toBe(400);
  });
});
