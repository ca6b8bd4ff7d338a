import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { nextEvent, signInAgent, startTestApp, unpackAgentEvents, type TestApp } from "../helpers/testApp.ts";
import { usingPostgres } from "../helpers/testDatabase.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { handOff } from "../../server/commands/handOff.ts";
import { assignConversation } from "../../server/assignment/commands/assignConversation.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { autoAssignConversation } from "../../server/assignment/commands/autoAssignConversation.ts";
import { updateAgentPresence } from "../../server/commands/updateAgentPresence.ts";
import type { AppContext } from "../../server/context.ts";
import { SYSTEM } from "../../server/actor.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { sqlText, type Database, type Queryable, type Statement } from "../../server/db/Database.ts";

/**
 * Automatic assignment on the real app (worker + realtime), with the queue
 * processors reacting to handoffs and presence: round-robin, capacity, fairness,
 * offline release, and concurrent assigners (meaningful on PostgreSQL: run with
 * DATABASE_URL set).
 */
let app: TestApp;
let inboxId: string;
let contactId: string;
const PASSWORD = "assignment-test-password";

beforeAll(async () => {
  app = await startTestApp({ env: { AUTO_ASSIGN: "true", OFFLINE_GRACE_SECONDS: "0", ASSIGNMENT_ON_OFFLINE: "reassign" } });
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Queue Tester') RETURNING id")).rows[0]!.id;
});
afterAll(() => app?.close());

const uid = () => crypto.randomBytes(4).toString("hex");

async function team(settings: { autoAssign?: boolean; onAgentOffline?: string } = {}) {
  const t = await createTeam(app.ctx, { actor: SYSTEM, name: `Team ${uid()}`, slug: `t-${uid()}` });
  await app.db.query("UPDATE teams SET auto_assign = $2, on_agent_offline = $3 WHERE id = $1", [
    t.id,
    settings.autoAssign ?? null,
    settings.onAgentOffline ?? null,
  ]);
  return t.id;
}

async function agent(teamId: string, opts: { capacity?: number; name?: string } = {}) {
  const name = opts.name ?? `Agent ${uid()}`;
  const a = await createAgent(app.ctx, {
    actor: SYSTEM,
    email: `${uid()}@assign.example`,
    name,
    role: "agent",
    password: PASSWORD,
    teamIds: [teamId],
  });
  if (opts.capacity !== undefined) await app.db.query("UPDATE agents SET capacity = $2 WHERE id = $1", [a.id, opts.capacity]);
  return a;
}

/** A fake console socket (as the /agent namespace records one). */
async function online(agentId: string, socketId = `s-${uid()}`) {
  await updateAgentPresence(app.ctx, { kind: "connected", agentId, socketId, node: "test-node" });
  return socketId;
}

async function settle() {
  // Jobs may enqueue further jobs (handoff → assign; presence → release → assign); BullMQ adds asynchronously.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, usingPostgres ? 150 : 30));
    await app.ctx.queue.drain(15_000);
  }
}

async function handedOff(teamId: string) {
  const c = await createConversation(app.ctx, { inboxId, contactId });
  await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "wants a person", teamId });
  return c.id;
}

/**
 * A handed-off conversation and one online agent in a team whose automatic assignment
 * is switched on only after the agent came online (that job found it off): the next
 * `autoAssignConversation` is the only one to choose.
 */
async function waitingForAutoAssign() {
  const t = await team({ autoAssign: false });
  const a = await agent(t);
  const id = await handedOff(t);
  await settle();
  await online(a.id);
  await settle();
  await app.db.query("UPDATE teams SET auto_assign = true WHERE id = $1", [t]);
  return { a, id };
}

async function assignees(ids: string[]) {
  const { rows } = await app.db.query<{ id: string; assignee_id: string | null }>(
    "SELECT id, assignee_id FROM conversations WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const by = new Map(rows.map((r) => [r.id, r.assignee_id]));
  return ids.map((id) => by.get(id) ?? null);
}

const availability = async (agentId: string) =>
  (await app.db.query<{ availability: string }>("SELECT availability FROM agents WHERE id = $1", [agentId])).rows[0]!.availability;

/**
 * The app's context with its database holding back, by `ms`, each statement whose
 * text matches `pattern` (inside transactions too): a slow step of a command, to
 * see what waits behind it. `reached` resolves when the first such statement is held.
 */
function withSlowStatement(pattern: RegExp, ms: number): { ctx: AppContext; reached: Promise<void>; held: () => number } {
  let held = 0;
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const slow = <Q extends Queryable>(q: Q): Q =>
    new Proxy(q, {
      get(target, prop) {
        if (prop === "query")
          return async (sql: string | Statement, params?: unknown[]) => {
            if (pattern.test(sqlText(sql))) {
              held++;
              reach();
              await new Promise((r) => setTimeout(r, ms));
            }
            return target.query(sql, params);
          };
        if (prop === "transaction")
          return <T>(fn: (tx: Queryable) => Promise<T>) => (target as unknown as Database).transaction((tx) => fn(slow(tx)));
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return { ctx: { ...app.ctx, db: slow(app.ctx.db) }, reached, held: () => held };
}

describe(`automatic assignment (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("round-robins handoffs among the team's online agents, least recently assigned first", async () => {
    const t = await team();
    const [a, b, c] = [await agent(t), await agent(t), await agent(t)];
    const offlineAgent = await agent(t);
    for (const x of [a, b, c]) await online(x.id);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await handedOff(t));
      await settle();
    }
    const got = await assignees(ids);
    expect(got.every(Boolean)).toBe(true);
    expect(got).not.toContain(offlineAgent.id);
    // Fair: each gets two, in a stable rotation.
    for (const x of [a, b, c]) expect(got.filter((g) => g === x.id)).toHaveLength(2);
    expect(got.slice(3)).toEqual(got.slice(0, 3));
    // The agent is told in the thread; the customer sees who joined.
    const joined = await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'assigned'", [
      ids[0],
    ]);
    expect(joined.rowCount).toBe(1);
  });

  it("respects capacity, leaves the rest waiting, and fills a freed slot", async () => {
    const t = await team();
    const a = await agent(t, { capacity: 1 });
    const b = await agent(t, { capacity: 2 });
    await online(a.id);
    await online(b.id);
    const ids = [await handedOff(t), await handedOff(t), await handedOff(t), await handedOff(t)];
    await settle();
    const got = await assignees(ids);
    expect(got.filter((g) => g === a.id)).toHaveLength(1);
    expect(got.filter((g) => g === b.id)).toHaveLength(2);
    expect(got[3]).toBeNull(); // the longest-waiting go first; the last one waits

    // b resolves one: the waiting conversation goes to b.
    const bFirst = ids[got.indexOf(b.id)]!;
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: bFirst, status: "resolved" });
    await settle();
    expect((await assignees([ids[3]!]))[0]).toBe(b.id);
  });

  it("skips away agents, and manual assignment ignores availability and capacity", async () => {
    const t = await team();
    const a = await agent(t, { capacity: 1 });
    const b = await agent(t);
    await online(a.id);
    await online(b.id);
    await updateAgentPresence(app.ctx, { kind: "chose", agentId: b.id, availability: "away" });
    expect(await availability(b.id)).toBe("away");
    const [first, second] = [await handedOff(t), await handedOff(t)];
    await settle();
    expect(await assignees([first, second])).toEqual([a.id, null]);
    // An admin (or the agent) can still give it to the away agent, or over capacity.
    await assignConversation(app.ctx, { actor: SYSTEM, conversationId: second, assigneeId: a.id });
    expect(await assignees([second])).toEqual([a.id]);
  });

  it("assigns waiting conversations when an agent comes online", async () => {
    const t = await team();
    const ids = [await handedOff(t), await handedOff(t)];
    await settle();
    expect(await assignees(ids)).toEqual([null, null]);
    const a = await agent(t);
    await online(a.id);
    await settle();
    expect(await assignees(ids)).toEqual([a.id, a.id]);
  });

  it("does nothing for a team with automatic assignment off", async () => {
    const t = await team({ autoAssign: false });
    const a = await agent(t);
    await online(a.id);
    const id = await handedOff(t);
    await settle();
    expect(await assignees([id])).toEqual([null]);
  });

  it("counts several tabs as one presence: offline only when the last socket is gone", async () => {
    const t = await team();
    const a = await agent(t);
    const tab1 = await online(a.id);
    const tab2 = await online(a.id);
    await updateAgentPresence(app.ctx, { kind: "disconnected", agentId: a.id, socketId: tab1 });
    expect(await availability(a.id)).toBe("online");
    await updateAgentPresence(app.ctx, { kind: "disconnected", agentId: a.id, socketId: tab2 });
    expect(await availability(a.id)).toBe("offline");
  });

  it("waits for the grace period before an agent with no sockets counts as offline", async () => {
    const t = await team();
    const a = await agent(t);
    const graceCtx: AppContext = { ...app.ctx, config: { ...app.ctx.config, OFFLINE_GRACE_SECONDS: 1 } };
    const s1 = await online(a.id);
    await updateAgentPresence(graceCtx, { kind: "disconnected", agentId: a.id, socketId: s1 });
    expect(await availability(a.id)).toBe("online"); // a reload
    const s2 = await online(a.id); // back within the grace period
    await new Promise((r) => setTimeout(r, 1300));
    await settle();
    expect(await availability(a.id)).toBe("online");
    await updateAgentPresence(graceCtx, { kind: "disconnected", agentId: a.id, socketId: s2 });
    await expect.poll(() => availability(a.id), { timeout: 5000, interval: 100 }).toBe("offline");
  });

  it("reassigns an offline agent's open conversations to another online agent (reassign)", async () => {
    const t = await team({ onAgentOffline: "reassign" });
    const a = await agent(t);
    const sa = await online(a.id);
    const ids = [await handedOff(t), await handedOff(t)];
    await settle();
    expect(await assignees(ids)).toEqual([a.id, a.id]);
    const b = await agent(t);
    await online(b.id);
    await settle();
    await updateAgentPresence(app.ctx, { kind: "disconnected", agentId: a.id, socketId: sa });
    await settle();
    expect(await assignees(ids)).toEqual([b.id, b.id]);
    const note = await app.db.query<{ private: boolean }>(
      "SELECT private FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'released'",
      [ids[0]],
    );
    expect(note.rows).toEqual([{ private: true }]);
  });

  it("returns them to the queue when the team says unassign, and keeps them when it says keep", async () => {
    const tu = await team({ onAgentOffline: "unassign" });
    const tk = await team({ onAgentOffline: "keep" });
    const a = await agent(tu);
    await app.db.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)", [tk, a.id]);
    const b = await agent(tu);
    await app.db.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)", [tk, b.id]);
    const sa = await online(a.id);
    const [u, k] = [await handedOff(tu), await handedOff(tk)];
    await settle();
    expect(await assignees([u, k])).toEqual([a.id, a.id]);
    // b stays offline until after the release, so the unassigned one waits.
    await updateAgentPresence(app.ctx, { kind: "disconnected", agentId: a.id, socketId: sa });
    await settle();
    expect(await assignees([u, k])).toEqual([null, a.id]);
  });

  it("lets exactly one of several concurrent assigners win a conversation", async () => {
    const t = await team();
    const agents = [await agent(t), await agent(t), await agent(t)];
    // Hand off with automatic assignment off for the moment, so the race is ours.
    await app.db.query("UPDATE teams SET auto_assign = false WHERE id = $1", [t]);
    const id = await handedOff(t);
    await settle();
    for (const x of agents) await online(x.id);
    await app.db.query("UPDATE teams SET auto_assign = NULL WHERE id = $1", [t]);
    const results = await Promise.all(Array.from({ length: 6 }, () => autoAssignConversation(app.ctx, { conversationId: id })));
    const winners = results.filter((r) => r.assigneeId);
    expect(winners).toHaveLength(1);
    expect(await assignees([id])).toEqual([winners[0]!.assigneeId]);
    const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'conversation.auto_assign' AND target_id = $1", [id]);
    expect(audit.rowCount).toBe(1);
    // A manual taker racing the automatic one: the manual one with expectedAssigneeId=null conflicts or wins, never both.
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: id, status: "resolved" });
  });

  it("never fills an agent past capacity under concurrent assigners", async () => {
    const t = await team({ autoAssign: false });
    const agents = [await agent(t, { capacity: 2 }), await agent(t, { capacity: 3 })];
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await handedOff(t));
    await settle();
    for (const x of agents) await online(x.id);
    await app.db.query("UPDATE teams SET auto_assign = true WHERE id = $1", [t]);
    await Promise.all(ids.map((conversationId) => autoAssignConversation(app.ctx, { conversationId })));
    await settle();
    const got = await assignees(ids);
    expect(got.filter((g) => g === agents[0]!.id)).toHaveLength(2);
    expect(got.filter((g) => g === agents[1]!.id)).toHaveLength(3);
    expect(got.filter((g) => g === null)).toHaveLength(4);
  });

  it("does not hold the conversation while it chooses the agent: the customer's message goes in meanwhile", async () => {
    const { a, id } = await waitingForAutoAssign();
    // Choosing the agent made slow: 1 s on the candidates' query. A message insert takes
    // milliseconds; behind a lock held while the agent is chosen it waited the whole second.
    const CHOOSING_MS = 1000;
    const slow = withSlowStatement(/a\.load < a\.capacity/, CHOOSING_MS);
    const assigning = autoAssignConversation(slow.ctx, { conversationId: id });
    await slow.reached;
    const started = performance.now();
    const posted = await postMessage(app.ctx, {
      conversationId: id,
      messageType: "incoming",
      senderType: "contact",
      content: "still there?",
    });
    const waited = performance.now() - started;
    expect(posted.duplicate).toBe(false);
    expect(waited).toBeLessThan(CHOOSING_MS / 2);
    expect((await assigning).assigneeId).toBe(a.id);
    expect(slow.held()).toBe(1);
    expect(await assignees([id])).toEqual([a.id]);
  });

  it("lets a manual assignment and the automatic one race for the same agent without a deadlock: one of them wins", async () => {
    const { a, id } = await waitingForAutoAssign();
    // The automatic assigner holds the agent's row while its write is held back; meanwhile an
    // agent takes the conversation for the same agent (its foreign-key check reads the agent's row).
    const slow = withSlowStatement(/UPDATE conversations SET assignee_id = \$2/, 500);
    const automatic = autoAssignConversation(slow.ctx, { conversationId: id });
    await slow.reached;
    const manual = assignConversation(app.ctx, { actor: SYSTEM, conversationId: id, assigneeId: a.id, expectedAssigneeId: null }).then(
      () => "assigned",
      (err: { code?: string }) => err.code,
    );
    const [auto, byHand] = await Promise.all([automatic, manual]);
    expect(slow.held()).toBe(1);
    // Neither failed (a deadlock, detected after a second, fails one of them); exactly one wrote.
    expect(["assigned", "conflict"]).toContain(byHand);
    expect([auto.assigneeId === a.id, byHand === "assigned"].filter(Boolean)).toHaveLength(1);
    expect(await assignees([id])).toEqual([a.id]);
    const audit = await app.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = $1 AND action IN ('conversation.auto_assign', 'conversation.assign')",
      [id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it("derives presence from real console sockets", async () => {
    const t = await team();
    const email = `${uid()}@assign.example`;
    const a = await createAgent(app.ctx, { actor: SYSTEM, email, name: "Socket Agent", role: "agent", password: PASSWORD, teamIds: [t] });
    const { cookie } = await signInAgent(app, email, PASSWORD);
    const socket = unpackAgentEvents(
      connect(`${app.url}/agent`, {
        extraHeaders: { cookie },
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
      }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    await expect.poll(() => availability(a.id), { timeout: 5000, interval: 50 }).toBe("online");
    // The "online" event may still be on its way (agents' events are batched for up to 50 ms).
    const presence = nextEvent<{ availability: string }>(socket, "presence", (p) => p.availability === "away");
    socket.emit("presence", { availability: "away" });
    expect(await presence).toMatchObject({ availability: "away" });
    expect(await availability(a.id)).toBe("away");
    socket.disconnect();
    await expect.poll(() => availability(a.id), { timeout: 5000, interval: 50 }).toBe("offline");
  });
});
