import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";

/**
 * Console sessions end after SESSION_IDLE_MINUTES without the agent's own activity
 * (POST /auth/activity, which the console sends at most once a minute after input);
 * admins see the sessions in use and end one, audited.
 */
let app: TestApp;
type Who = { cookie: string; csrf: string };
let admin: Who;
let agent: Who;

beforeAll(async () => {
  app = await startTestApp({ env: { SESSION_IDLE_MINUTES: "15" } });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "sess-admin@bank.example",
    name: "Sess Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "sess-agent@bank.example",
    name: "Sess Agent",
    role: "agent",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "sess-admin@bank.example", "correct-horse-battery");
  agent = await signInAgent(app, "sess-agent@bank.example", "correct-horse-battery");
});
afterAll(() => app?.close());

const call = (who: Who, method: string, path: string) =>
  fetch(`${app.url}/api/v1${path}`, { method, headers: { cookie: who.cookie, "x-csrf-token": who.csrf } });
const idleFor = (email: string, minutes: number) =>
  app.db.query(
    "UPDATE agent_sessions SET last_active_at = now() - make_interval(mins => $2) WHERE agent_id = (SELECT id FROM agents WHERE email = $1)",
    [email, minutes],
  );

describe("console sessions", () => {
  it("end after the idle time unless the agent is active", async () => {
    await idleFor("sess-agent@bank.example", 14);
    expect((await call(agent, "POST", "/auth/activity")).status).toBe(204);
    // Reported activity restarts the clock.
    await idleFor("sess-agent@bank.example", 0);
    expect((await call(agent, "GET", "/auth/me")).status).toBe(200);
    await idleFor("sess-agent@bank.example", 16);
    expect((await call(agent, "GET", "/auth/me")).status).toBe(401);
    expect(await (await call(agent, "GET", "/auth/session")).json()).toEqual({ signedIn: false });
    agent = await signInAgent(app, "sess-agent@bank.example", "correct-horse-battery");
    expect((await call(agent, "GET", "/auth/me")).status).toBe(200);
  });

  it("lets admins see the sessions in use and end one, on record", async () => {
    expect((await call(agent, "GET", "/admin/sessions")).status).toBe(403);
    const list = (await (await call(admin, "GET", "/admin/sessions")).json()) as {
      items: Array<{ id: string; agent: { email: string }; current: boolean; ip: string | null }>;
      idleMinutes: number;
    };
    expect(list.idleMinutes).toBe(15);
    const mine = list.items.find((s) => s.agent.email === "sess-admin@bank.example")!;
    expect(mine.current).toBe(true);
    const theirs = list.items.find((s) => s.agent.email === "sess-agent@bank.example")!;
    expect(theirs.current).toBe(false);
    expect(JSON.stringify(list)).not.toMatch(/token/i);

    expect((await call(agent, "DELETE", `/admin/sessions/${theirs.id}`)).status).toBe(403);
    expect((await call(admin, "DELETE", `/admin/sessions/${theirs.id}`)).status).toBe(204);
    expect((await call(agent, "GET", "/auth/me")).status).toBe(401);
    expect((await call(admin, "DELETE", `/admin/sessions/${theirs.id}`)).status).toBe(404);
    const audit = await app.db.query<{ action: string; data: { email: string } }>(
      "SELECT action, data FROM audit_log WHERE action = 'auth.session_ended'",
    );
    expect(audit.rows).toEqual([{ action: "auth.session_ended", data: expect.objectContaining({ email: "sess-agent@bank.example" }) }]);
  });
});
