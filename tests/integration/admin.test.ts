/**
 * The admin API end to end on a real server (embedded database, or PostgreSQL and
 * Redis when configured): admins only, CSRF on writes, validation errors naming the
 * field, every change audited without secrets, the last admin protected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { openIdentitySecret, verifyIdentityHash } from "../../server/auth/identity.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: Array<{ path: string; message: string }> } };

let app: TestApp;
let admin: Session;
let agent: Session;
let adminId = "";
let agentId = "";

/** Without the CSRF token (`csrf: false`): the session's cookie alone. */
async function call(s: Session, method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}) {
  const r =
    opts.csrf === false ? await callApi(app, null, method, path, body, { cookie: s.cookie }) : await callApi(app, s, method, path, body);
  return { status: r.status, body: r.body as Json & Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function auditRows(action: string, targetId?: string) {
  const { rows } = await app.db.query<{ actor_id: string | null; data: Record<string, unknown>; ip: string | null }>(
    `SELECT actor_id, data, ip FROM audit_log WHERE action = $1 ${targetId ? "AND target_id = $2" : ""} ORDER BY id`,
    targetId ? [action, targetId] : [action],
  );
  return rows;
}

beforeAll(async () => {
  app = await startTestApp({ services: ["web", "worker"] });
  adminId = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "root@example.com",
      name: "Root Admin",
      role: "admin",
      password: "correct-horse-battery",
    })
  ).id;
  agentId = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "agent@example.com",
      name: "Plain Agent",
      role: "agent",
      password: "correct-horse-battery",
    })
  ).id;
  admin = await signInAgent(app, "root@example.com", "correct-horse-battery");
  agent = await signInAgent(app, "agent@example.com", "correct-horse-battery");
});
afterAll(() => app?.close());

describe("admin API access", () => {
  it("refuses agents (403) and anonymous callers (401) on every admin route", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/admin/agents"],
      ["POST", "/admin/agents", { email: "x@example.com", name: "X", role: "admin" }],
      ["GET", "/admin/teams"],
      ["POST", "/admin/teams", { name: "Sneaky" }],
      ["GET", "/admin/inboxes"],
      ["POST", "/admin/inboxes", { name: "X", slug: "x", channel: "web" }],
      ["GET", "/admin/canned-responses"],
      ["POST", "/admin/canned-responses", { shortCode: "x", content: "x" }],
      ["GET", "/admin/labels"],
      ["POST", "/admin/labels", { name: "x" }],
      ["GET", "/admin/audit-log"],
      ["POST", `/admin/agents/${agentId}/password`, {}],
      ["PATCH", `/admin/agents/${agentId}`, { role: "admin" }],
    ];
    for (const [method, path, body] of routes) {
      const r = await call(agent, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error?.code).toBe("forbidden");
      const anon = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(anon.status, `anonymous ${method} ${path}`).toBe(401);
    }
    // Content editors are refused too.
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "editor@example.com",
      name: "Editor",
      role: "content",
      password: "correct-horse-battery",
    });
    const editor = await signInAgent(app, "editor@example.com", "correct-horse-battery");
    expect((await call(editor, "GET", "/admin/agents")).status).toBe(403);
    expect((await call(editor, "GET", "/admin/audit-log")).status).toBe(403);
    expect((await call(editor, "POST", "/admin/canned-responses", { shortCode: "x", content: "x" })).status).toBe(403);
    // The agent did not promote themselves.
    expect((await app.db.query<{ role: string }>("SELECT role FROM agents WHERE id = $1", [agentId])).rows[0]!.role).toBe("agent");
  });

  it("needs the CSRF token for admin writes", async () => {
    const r = await call(admin, "POST", "/admin/labels", { name: "no-csrf" }, { csrf: false });
    expect(r.status).toBe(403);
    expect((await app.db.query("SELECT 1 FROM labels WHERE name = 'no-csrf'")).rowCount).toBe(0);
  });

  it("lists the API in the OpenAPI document under the admin tag", async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags: string[] }>>;
    };
    expect(doc.paths["/api/v1/admin/agents/{id}"]?.patch?.tags).toEqual(["admin"]);
    expect(doc.paths["/api/v1/admin/audit-log"]?.get).toBeDefined();
  });
});

describe("console users", () => {
  let newId = "";

  it("creates an agent with a generated password, returned once and never the hash", async () => {
    const teams = (await call(admin, "GET", "/admin/teams")).body.items as Array<{ id: string; slug: string }>;
    const cards = teams.find((t) => t.slug === "cards")!;
    const r = await call(admin, "POST", "/admin/agents", {
      email: "New.Agent@example.com",
      name: "New Agent",
      role: "agent",
      teamIds: [cards.id],
    });
    expect(r.status).toBe(201);
    expect(r.body.agent).toMatchObject({ email: "New.Agent@example.com", role: "agent", teamIds: [cards.id], disabled: false });
    expect(typeof r.body.generatedPassword).toBe("string");
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password_hash|passwordHash/);
    newId = r.body.agent.id;
    // The generated password works.
    await signInAgent(app, "new.agent@example.com", r.body.generatedPassword);
    const list = await call(admin, "GET", "/admin/agents");
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password_hash|passwordHash/);
    const audit = await auditRows("agent.create", newId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(adminId);
    expect(audit[0]!.data).toMatchObject({ email: "New.Agent@example.com", role: "agent", teamIds: [cards.id] });
    expect(JSON.stringify(audit[0]!.data)).not.toContain(r.body.generatedPassword);
  });

  it("answers validation errors naming the field, and conflicts for a taken e-mail", async () => {
    const bad = await call(admin, "POST", "/admin/agents", { email: "not-an-email", name: "", role: "boss" });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("validation_error");
    expect(bad.body.error?.details?.map((d) => d.path)).toEqual(expect.arrayContaining(["email", "name", "role"]));
    const short = await call(admin, "POST", "/admin/agents", {
      email: "short@example.com",
      name: "Short",
      role: "agent",
      password: "short",
    });
    expect(short.status).toBe(400);
    expect(short.body.error?.details?.[0]?.path).toBe("password");
    // Long enough but easy to guess: refused with the reason.
    for (const weak of ["aaaaaaaaaa", "password123", "weak.agent2026"]) {
      const r = await call(admin, "POST", "/admin/agents", {
        email: "weak.agent@example.com",
        name: "Weak Agent",
        role: "agent",
        password: weak,
      });
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toMatch(/too easy to guess/);
    }
    const dup = await call(admin, "POST", "/admin/agents", { email: "NEW.AGENT@example.com", name: "Again", role: "agent" });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.details?.[0]?.path).toBe("email");
    const unknownTeam = await call(admin, "POST", "/admin/agents", {
      email: "t@example.com",
      name: "T",
      role: "agent",
      teamIds: ["00000000-0000-0000-0000-000000000001"],
    });
    expect(unknownTeam.status).toBe(400);
    expect((await call(admin, "PATCH", `/admin/agents/${newId}`, { bogus: 1 })).status).toBe(400);
    expect((await call(admin, "PATCH", "/admin/agents/00000000-0000-0000-0000-000000000000", { name: "Nobody" })).status).toBe(404);
  });

  it("updates name, role and teams with a diff in the audit log", async () => {
    const r = await call(admin, "PATCH", `/admin/agents/${newId}`, { name: "Renamed Agent", role: "content", teamIds: [], capacity: 4 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "Renamed Agent", role: "content", teamIds: [], capacity: 4 });
    const [entry] = await auditRows("agent.update", newId);
    expect(entry!.data).toMatchObject({
      changes: { name: { from: "New Agent", to: "Renamed Agent" }, role: { from: "agent", to: "content" }, capacity: { to: 4 } },
    });
    expect(Object.keys((entry!.data as { changes: object }).changes)).toContain("teamIds");
    // Script in a name is stored as text (the console renders it as text).
    const evil = await call(admin, "PATCH", `/admin/agents/${newId}`, { name: "<img src=x onerror=alert(1)>" });
    expect(evil.body.name).toBe("<img src=x onerror=alert(1)>");
  });

  it("resets a password: the old one stops working, sessions end, nothing secret in the log", async () => {
    const before = await signInAgent(app, "agent@example.com", "correct-horse-battery");
    const r = await call(admin, "POST", `/admin/agents/${agentId}/password`, { password: "a-brand-new-password" });
    expect(r.status).toBe(200);
    expect(r.body.generatedPassword).toBeNull();
    expect((await call(before, "GET", "/conversations?view=all")).status).toBe(401);
    await expect(signInAgent(app, "agent@example.com", "correct-horse-battery")).rejects.toThrow(/401/);
    agent = await signInAgent(app, "agent@example.com", "a-brand-new-password");
    const [entry] = await auditRows("agent.password_reset", agentId);
    expect(JSON.stringify(entry)).not.toContain("a-brand-new-password");
  });

  it("deactivates an agent: signed out, cannot sign in, open conversations go back to the queue; reactivates", async () => {
    const victim = await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "leaver@example.com",
      name: "Leaver",
      role: "agent",
      password: "correct-horse-battery",
    });
    const session = await signInAgent(app, "leaver@example.com", "correct-horse-battery");
    const { rows } = await app.db.query<{ id: string }>("SELECT id FROM conversations WHERE status = 'open' LIMIT 1");
    await app.db.query("UPDATE conversations SET assignee_id = $1 WHERE id = $2", [victim.id, rows[0]!.id]);
    const r = await call(admin, "POST", `/admin/agents/${victim.id}/deactivate`);
    expect(r.status).toBe(200);
    expect(r.body.disabled).toBe(true);
    expect((await call(session, "GET", "/conversations?view=all")).status).toBe(401);
    await expect(signInAgent(app, "leaver@example.com", "correct-horse-battery")).rejects.toThrow(/401/);
    const conv = await app.db.query<{ assignee_id: string | null }>("SELECT assignee_id FROM conversations WHERE id = $1", [rows[0]!.id]);
    expect(conv.rows[0]!.assignee_id).toBeNull();
    expect((await auditRows("agent.deactivate", victim.id))[0]!.data).toMatchObject({ unassignedConversations: 1 });
    const back = await call(admin, "POST", `/admin/agents/${victim.id}/reactivate`);
    expect(back.body.disabled).toBe(false);
    await signInAgent(app, "leaver@example.com", "correct-horse-battery");
  });

  it("never demotes or deactivates the last active admin, nor lets an admin deactivate themselves", async () => {
    // The demo seed has its own admin: take it out of the picture so Root is the last one.
    const others = await app.db.query<{ id: string }>("SELECT id FROM agents WHERE role = 'admin' AND id <> $1 AND disabled_at IS NULL", [
      adminId,
    ]);
    for (const o of others.rows) expect((await call(admin, "POST", `/admin/agents/${o.id}/deactivate`)).status).toBe(200);

    const self = await call(admin, "POST", `/admin/agents/${adminId}/deactivate`);
    expect(self.status).toBe(409);
    const demote = await call(admin, "PATCH", `/admin/agents/${adminId}`, { role: "agent" });
    expect(demote.status).toBe(409);
    expect(demote.body.error?.message).toMatch(/last active admin/);
    expect((await app.db.query<{ role: string }>("SELECT role FROM agents WHERE id = $1", [adminId])).rows[0]!.role).toBe("admin");

    // With a second admin, the first may step down.
    const second = await call(admin, "PATCH", `/admin/agents/${agentId}`, { role: "admin" });
    expect(second.status).toBe(200);
    const demoteNow = await call(admin, "PATCH", `/admin/agents/${agentId}`, { role: "agent" });
    expect(demoteNow.status).toBe(200);
    for (const o of others.rows) await call(admin, "POST", `/admin/agents/${o.id}/reactivate`);
  });
});

describe("two admins demoting each other at once", () => {
  it("leaves exactly one of them an admin", async () => {
    const second = await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "second-admin@example.com",
      name: "Second Admin",
      role: "admin",
      password: "correct-horse-battery",
    });
    const secondSession = await signInAgent(app, "second-admin@example.com", "correct-horse-battery");
    const others = await app.db.query<{ id: string }>(
      "SELECT id FROM agents WHERE role = 'admin' AND id <> ALL($1::uuid[]) AND disabled_at IS NULL",
      [[adminId, second.id]],
    );
    for (const o of others.rows) expect((await call(admin, "POST", `/admin/agents/${o.id}/deactivate`)).status).toBe(200);

    const [a, b] = await Promise.all([
      call(admin, "PATCH", `/admin/agents/${second.id}`, { role: "agent" }),
      call(secondSession, "PATCH", `/admin/agents/${adminId}`, { role: "agent" }),
    ]);
    const statuses = [a.status, b.status];
    expect(statuses.filter((st) => st === 200)).toHaveLength(1);
    // The loser was refused: either as the last admin (409) or, if its request came after, as no longer an admin (403).
    expect(statuses.find((st) => st !== 200)).toBeOneOf([403, 409]);
    const left = await app.db.query<{ id: string }>("SELECT id FROM agents WHERE role = 'admin' AND disabled_at IS NULL");
    expect(left.rows).toHaveLength(1);

    // Put things back for the tests that follow.
    const survivor = left.rows[0]!.id === adminId ? admin : secondSession;
    if (left.rows[0]!.id !== adminId)
      expect((await call(survivor, "PATCH", `/admin/agents/${adminId}`, { role: "admin" })).status).toBe(200);
    for (const o of others.rows) await call(admin, "POST", `/admin/agents/${o.id}/reactivate`);
    expect((await call(admin, "POST", `/admin/agents/${second.id}/deactivate`)).status).toBe(200);
  });
});

describe("teams", () => {
  it("creates, renames, changes members and deletes a team, moving its conversations", async () => {
    const created = await call(admin, "POST", "/admin/teams", { name: "Mortgages & loans", memberIds: [agentId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Mortgages & loans", slug: "mortgages-loans", memberIds: [agentId] });
    const teamId = created.body.id as string;
    expect((await call(admin, "POST", "/admin/teams", { name: "Again", slug: "mortgages-loans" })).status).toBe(409);

    const renamed = await call(admin, "PATCH", `/admin/teams/${teamId}`, { name: "Mortgages", memberIds: [] });
    expect(renamed.body).toMatchObject({ name: "Mortgages", memberIds: [] });
    expect((await auditRows("team.update", teamId))[0]!.data).toMatchObject({
      changes: { name: { from: "Mortgages & loans", to: "Mortgages" }, memberIds: { from: [agentId], to: [] } },
    });
    const badMember = await call(admin, "PATCH", `/admin/teams/${teamId}`, { memberIds: ["00000000-0000-0000-0000-000000000009"] });
    expect(badMember.status).toBe(400);

    const { rows } = await app.db.query<{ id: string }>("SELECT id FROM conversations LIMIT 1");
    await app.db.query("UPDATE conversations SET team_id = $1 WHERE id = $2", [teamId, rows[0]!.id]);
    const refused = await call(admin, "DELETE", `/admin/teams/${teamId}`);
    expect(refused.status).toBe(409);
    const general = ((await call(admin, "GET", "/admin/teams")).body.items as Array<{ id: string; slug: string }>).find(
      (t) => t.slug === "general",
    )!;
    const del = await call(admin, "DELETE", `/admin/teams/${teamId}?moveConversationsTo=${general.id}`);
    expect(del.status).toBe(204);
    expect(
      (await app.db.query<{ team_id: string }>("SELECT team_id FROM conversations WHERE id = $1", [rows[0]!.id])).rows[0]!.team_id,
    ).toBe(general.id);
    expect((await auditRows("team.delete", teamId))[0]!.data).toMatchObject({ name: "Mortgages", conversationsMoved: 1 });
  });
});

describe("inboxes", () => {
  it("creates an inbox showing its identity secret once, and never again", async () => {
    const r = await call(admin, "POST", "/admin/inboxes", {
      name: "Mobile app",
      slug: "mobile-app",
      channel: "web",
      settings: { greeting: "Hello!", timezone: "Europe/London", csatEnabled: false, requireVerification: true },
    });
    expect(r.status).toBe(201);
    expect(r.body.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(r.body.inbox.settings).toMatchObject({
      greeting: "Hello!",
      timezone: "Europe/London",
      csatEnabled: false,
      requireVerification: true,
    });
    const secret = r.body.identitySecret as string;
    const again = await call(admin, "GET", `/admin/inboxes/${r.body.inbox.id}`);
    expect(JSON.stringify(again.body)).not.toContain(secret);
    expect(JSON.stringify((await call(admin, "GET", "/admin/inboxes")).body)).not.toContain(secret);
    expect(JSON.stringify(await auditRows("inbox.create", r.body.inbox.id))).not.toContain(secret);
    expect((await call(admin, "POST", "/admin/inboxes", { name: "Dup", slug: "mobile-app", channel: "web" })).status).toBe(409);
  });

  it("updates working hours and time zone, refusing unknown zones and impossible hours", async () => {
    const inboxes = (await call(admin, "GET", "/admin/inboxes")).body.items as Array<{ id: string; slug: string }>;
    const website = inboxes.find((i) => i.slug === "website")!;
    const badZone = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, { settings: { timezone: "Mars/Olympus_Mons" } });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error?.details?.[0]?.path).toBe("settings.timezone");
    const badHours = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, {
      settings: { workingHours: { "1": { open: "18:00", close: "09:00" } } },
    });
    expect(badHours.status).toBe(400);
    expect(badHours.body.error?.details?.[0]?.path).toBe("settings.workingHours.1.close");
    const badTime = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, {
      settings: { workingHours: { "1": { open: "25:00", close: "26:00" } } },
    });
    expect(badTime.status).toBe(400);
    const badOrigin = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, {
      settings: { allowedOrigins: ["https://bank.example/path"] },
    });
    expect(badOrigin.status).toBe(400);

    const hours = {
      "1": { open: "09:00", close: "17:30" },
      "2": { open: "09:00", close: "17:30" },
      "6": { open: "10:00", close: "24:00" },
    };
    const ok = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, {
      name: "Bayview website",
      settings: { timezone: "America/New_York", workingHours: hours, csatEnabled: false },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toMatchObject({ timezone: "America/New_York", workingHours: hours, csatEnabled: false });
    // Settings left out keep their value.
    expect(ok.body.settings.greeting).toMatch(/Bayview/);
    const [entry] = await auditRows("inbox.update", website.id);
    expect(entry!.data).toMatchObject({
      changes: {
        name: { from: "Bayview Bank website", to: "Bayview website" },
        "settings.timezone": { from: "Asia/Shanghai", to: "America/New_York" },
        "settings.csatEnabled": { from: true, to: false },
      },
    });
    expect(JSON.stringify(entry)).not.toMatch(/identity_secret|demo-identity-secret/);
    // The widget sees the new settings.
    const session = await fetch(`${app.url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inbox: "website" }),
    });
    expect(((await session.json()) as { inbox: { csatEnabled: boolean } }).inbox.csatEnabled).toBe(false);
    // null clears the hours: always open.
    const cleared = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, { settings: { workingHours: null } });
    expect(cleared.body.settings.workingHours).toBeNull();
  });

  it("rotates the identity secret: the new one verifies, the old one no longer does", async () => {
    const website = ((await call(admin, "GET", "/admin/inboxes")).body.items as Array<{ id: string; slug: string }>).find(
      (i) => i.slug === "website",
    )!;
    const old = openIdentitySecret(
      app.ctx.secrets,
      (await app.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE id = $1", [website.id])).rows[0]!
        .identity_secret,
    );
    const r = await call(admin, "POST", `/admin/inboxes/${website.id}/identity-secret`);
    expect(r.status).toBe(200);
    const secret = r.body.identitySecret as string;
    expect(secret).not.toBe(old);
    expect(r.body.inbox.identitySecretRotatedAt).toBeTruthy();
    const stored = (await app.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE id = $1", [website.id]))
      .rows[0]!;
    // Stored sealed (security finding 7), opening to the secret shown once.
    expect(stored.identity_secret).not.toContain(secret);
    expect(openIdentitySecret(app.ctx.secrets, stored.identity_secret)).toBe(secret);
    const { createHmac } = await import("node:crypto");
    const hash = createHmac("sha256", secret).update("C-1001").digest("hex");
    expect(verifyIdentityHash("C-1001", hash, secret)).toBe(true);
    const oldHash = createHmac("sha256", old).update("C-1001").digest("hex");
    const refused = await fetch(`${app.url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inbox: "website", userId: "C-1001", identityHash: oldHash }),
    });
    expect(refused.status).toBe(401);
    const audit = await auditRows("inbox.identity_secret_rotated", website.id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });
});

describe("canned responses and labels", () => {
  it("creates, edits and deletes canned responses with unique short codes", async () => {
    const r = await call(admin, "POST", "/admin/canned-responses", {
      shortCode: "/Card-Abroad",
      content: "Turn on payments abroad in the app.",
    });
    expect(r.status).toBe(201);
    expect(r.body.shortCode).toBe("card-abroad");
    expect((await call(admin, "POST", "/admin/canned-responses", { shortCode: "card-abroad", content: "again" })).status).toBe(409);
    const bad = await call(admin, "POST", "/admin/canned-responses", { shortCode: "has space", content: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.[0]?.path).toBe("shortCode");
    const empty = await call(admin, "POST", "/admin/canned-responses", { shortCode: "empty", content: "   " });
    expect(empty.status).toBe(400);
    const upd = await call(admin, "PATCH", `/admin/canned-responses/${r.body.id}`, { content: "Cards → Payments abroad → On." });
    expect(upd.body.content).toBe("Cards → Payments abroad → On.");
    // Agents see it in the composer's list.
    const forAgents = await call(agent, "GET", "/canned-responses");
    expect(forAgents.body.items).toContainEqual({ shortCode: "card-abroad", content: "Cards → Payments abroad → On." });
    expect((await call(admin, "DELETE", `/admin/canned-responses/${r.body.id}`)).status).toBe(204);
    expect((await call(admin, "DELETE", `/admin/canned-responses/${r.body.id}`)).status).toBe(404);
    const actions = (await app.db.query<{ action: string }>("SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id", [r.body.id]))
      .rows;
    expect(actions.map((a) => a.action)).toEqual(["canned_response.create", "canned_response.update", "canned_response.delete"]);
  });

  it("manages labels; a rename follows onto conversations, a delete removes it", async () => {
    const r = await call(admin, "POST", "/admin/labels", { name: "  Card Fraud ", colour: "#D92D20", description: "Suspected card fraud" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: "card-fraud", colour: "#d92d20" });
    expect((await call(admin, "POST", "/admin/labels", { name: "card-fraud" })).status).toBe(409);
    expect((await call(admin, "POST", "/admin/labels", { name: "bad!label" })).status).toBe(400);
    expect((await call(admin, "POST", "/admin/labels", { name: "x", colour: "red" })).status).toBe(400);
    expect((await call(admin, "POST", "/admin/labels", { name: "挂失" })).status).toBe(201);

    const { rows } = await app.db.query<{ id: string }>("SELECT id FROM conversations LIMIT 1");
    await app.db.query("UPDATE conversations SET labels = ARRAY['card-fraud', 'vip'] WHERE id = $1", [rows[0]!.id]);
    const renamed = await call(admin, "PATCH", `/admin/labels/${r.body.id}`, { name: "fraud" });
    expect(renamed.status).toBe(200);
    const labels = async () =>
      (await app.db.query<{ labels: string[] }>("SELECT labels FROM conversations WHERE id = $1", [rows[0]!.id])).rows[0]!.labels;
    expect((await labels()).sort()).toEqual(["fraud", "vip"]);
    const listed = (await call(admin, "GET", "/admin/labels")).body.items as Array<{ name: string; conversations: number }>;
    expect(listed.find((l) => l.name === "fraud")?.conversations).toBe(1);
    expect(((await call(agent, "GET", "/labels")).body.items as Array<{ name: string }>).map((l) => l.name)).toContain("fraud");
    expect((await call(admin, "DELETE", `/admin/labels/${r.body.id}`)).status).toBe(204);
    expect(await labels()).toEqual(["vip"]);
    expect((await auditRows("label.update", r.body.id))[0]!.data).toMatchObject({
      changes: { name: { from: "card-fraud", to: "fraud" } },
      conversationsRelabelled: 1,
    });
  });
});

describe("audit log viewer", () => {
  it("pages newest first and filters by actor and action", async () => {
    const first = await call(admin, "GET", "/admin/audit-log?limit=5");
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    const ids = (first.body.items as Array<{ id: string }>).map((i) => Number(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.body.nextCursor).toBe(String(ids[4]));
    const second = await call(admin, "GET", `/admin/audit-log?limit=5&before=${first.body.nextCursor}`);
    expect(Number(second.body.items[0].id)).toBeLessThan(ids[4]!);

    const mine = await call(admin, "GET", `/admin/audit-log?actorId=${adminId}&action=label.`);
    const entries = mine.body.items as Array<{ action: string; actor: { id: string; name: string } }>;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) {
      expect(e.action.startsWith("label.")).toBe(true);
      expect(e.actor).toMatchObject({ id: adminId, name: "Root Admin" });
    }
    const exact = await call(admin, "GET", "/admin/audit-log?action=agent.create");
    expect((exact.body.items as Array<{ action: string }>).every((e) => e.action === "agent.create")).toBe(true);
    expect((await call(admin, "GET", "/admin/audit-log?action=DROP%20TABLE")).status).toBe(400);
    expect((await call(admin, "GET", "/admin/audit-log?limit=1000")).status).toBe(400);
    // No password hashes or identity secrets anywhere in the log.
    const all = await app.db.query<{ data: unknown }>("SELECT data FROM audit_log");
    const text = JSON.stringify(all.rows);
    expect(text).not.toMatch(/scrypt\$|identity_secret|identitySecret/);
  });
});
