/**
 * Service levels end to end on a real server (embedded database, or PostgreSQL and
 * Redis when configured): admins write policies through the API; a conversation gets
 * the policy that applies (by precedence) and its due times when it reaches people and
 * when it changes; agents' replies record first and next responses met or missed; the
 * clock check records near-breaches and breaches once, to the console and by webhook;
 * the list sorts by time left; the report counts attainment per policy, with CSV.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { callApi, nextEvent, signInAgent, startTestApp, unpackAgentEvents, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createWebhook } from "../../server/webhooks/commands/createWebhook.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { updateConversation } from "../../server/commands/updateConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { handOff } from "../../server/commands/handOff.ts";
import { findConversation } from "../../server/conversations/queries.ts";
import { SYSTEM } from "../../server/actor.ts";
import { checkSlaClocks } from "../../server/sla/checkSlaClocks.ts";
import { addWorkingMinutes } from "../../server/sla/workingTime.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: TestApp;
let admin: Session;
let agent: Session;
let agentId = "";
let inboxId = "";
let contactId = "";
let hook: http.Server;
let consoleSocket: Socket;
const received: Json[] = [];
const policies: Record<string, string> = {};
const MIN = 60_000;

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

async function sla(conversationId: string): Promise<Json | undefined> {
  return (await app.db.query<Json>("SELECT * FROM conversation_slas WHERE conversation_id = $1", [conversationId])).rows[0];
}

const actorOf = () => ({ type: "agent" as const, id: agentId, role: "agent" as const, teamIds: [] as string[] });

async function openConversation() {
  const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  await postMessage(app.ctx, {
    conversationId: c.id,
    messageType: "incoming",
    senderType: "contact",
    senderId: contactId,
    content: "My card was swallowed by the ATM",
  });
  await app.ctx.queue.drain();
  return c;
}

const reply = (conversationId: string, content = "Let me look into that for you.") =>
  postMessage(app.ctx, { conversationId, messageType: "outgoing", senderType: "agent", senderId: agentId, content });

/** The customer wrote `minutesAgo` ago and is still waiting: the wait's start moved back on the conversation and its SLA row alike. */
async function customerWroteAgo(conversationId: string, minutesAgo: number) {
  await app.db.query("UPDATE conversations SET waiting_since = waiting_since - make_interval(mins => $2) WHERE id = $1", [
    conversationId,
    minutesAgo,
  ]);
  await app.db.query(
    "UPDATE conversation_slas SET next_response_since = next_response_since - make_interval(mins => $2) WHERE conversation_id = $1",
    [conversationId, minutesAgo],
  );
}

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "lead@example.com",
    name: "Lena Lead",
    role: "admin",
    password: "correct-horse-battery",
  });
  agentId = (
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "ann@example.com",
      name: "Ann Agent",
      role: "agent",
      password: "correct-horse-battery",
    })
  ).id;
  admin = await signInAgent(app, "lead@example.com", "correct-horse-battery");
  agent = await signInAgent(app, "ann@example.com", "correct-horse-battery");
  // An inbox of the test's own, without a team (every agent sees its conversations) and open around the clock.
  inboxId = (
    await createInbox(app.ctx, { actor: SYSTEM, name: "Branch line", slug: "branch-line", channel: "api", settings: { botEnabled: false } })
  ).id;
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Sam Waiting') RETURNING id")).rows[0]!.id;
  hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  await createWebhook(app.ctx, {
    actor: SYSTEM,
    url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    events: ["conversation.sla_breach"],
  });
  consoleSocket = unpackAgentEvents(
    connect(`${app.url}/agent`, { extraHeaders: { cookie: agent.cookie }, transports: ["websocket"], reconnection: false, forceNew: true }),
  );
  await new Promise<void>((r) => consoleSocket.once("connect", () => r()));
});
afterAll(async () => {
  consoleSocket?.disconnect();
  await app?.close();
  hook?.close();
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await app.ctx.queue.drain();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("SLA policies", () => {
  it("lets admins add policies, and refuses agents, missing targets, unknown inboxes and a name twice", async () => {
    const standard = await call(admin, "POST", "/sla-policies", {
      name: "Standard",
      position: 1000,
      firstResponseMinutes: 60,
      nextResponseMinutes: 30,
      resolutionMinutes: 480,
      businessHours: false,
      conditions: { inboxIds: [inboxId] },
    });
    expect(standard.status).toBe(201);
    expect(standard.body).toMatchObject({
      name: "Standard",
      position: 1000,
      businessHours: false,
      conditions: { inboxIds: [inboxId], labels: [] },
    });
    policies.standard = standard.body.id;
    const vip = await call(admin, "POST", "/sla-policies", {
      name: "VIP customers",
      position: 10,
      firstResponseMinutes: 5,
      nextResponseMinutes: 10,
      resolutionMinutes: 120,
      businessHours: false,
      conditions: { labels: [" VIP "] },
    });
    expect(vip.status).toBe(201);
    expect(vip.body.conditions.labels).toEqual(["vip"]);
    policies.vip = vip.body.id;

    expect((await call(agent, "POST", "/sla-policies", { name: "Mine", firstResponseMinutes: 5 })).status).toBe(403);
    const none = await call(admin, "POST", "/sla-policies", { name: "Empty" });
    expect(none.status).toBe(400);
    const unknown = await call(admin, "POST", "/sla-policies", {
      name: "Ghost inbox",
      firstResponseMinutes: 5,
      conditions: { inboxIds: ["00000000-0000-4000-8000-000000000000"] },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/conditions.inboxIds/);
    expect((await call(admin, "POST", "/sla-policies", { name: "standard", firstResponseMinutes: 5 })).status).toBe(409);

    const audit = await app.db.query<Json>("SELECT action, data FROM audit_log WHERE target_type = 'sla_policy' ORDER BY id");
    expect(audit.rows.map((r) => r.action)).toEqual(["sla_policy.create", "sla_policy.create"]);
    const list = await call(agent, "GET", "/sla-policies");
    expect(list.body.items.map((p: Json) => p.name)).toEqual(["VIP customers", "Standard"]);
  });

  it("gives a conversation with people the matching policy and its due times, and moves them when a label makes another apply", async () => {
    const c = await openConversation();
    const s = await sla(c.id);
    expect(s).toBeDefined();
    expect(s!.policy_id).toBe(policies.standard);
    const started = new Date(s!.started_at).getTime();
    expect(new Date(s!.first_response_due_at).getTime()).toBe(started + 60 * MIN);
    expect(new Date(s!.first_response_near_at).getTime()).toBe(started + 48 * MIN);
    expect(new Date(s!.resolution_due_at).getTime()).toBe(started + 480 * MIN);
    expect(new Date(s!.next_due_at).getTime()).toBe(started + 60 * MIN);

    const live = nextEvent<Json>(consoleSocket, "sla", (e) => e.conversationId === c.id && e.sla?.policyName === "VIP customers");
    await updateConversation(app.ctx, { actor: SYSTEM, conversationId: c.id, labels: ["vip"] });
    await app.ctx.queue.drain();
    const after = (await sla(c.id))!;
    expect(after.policy_id).toBe(policies.vip);
    expect(new Date(after.first_response_due_at).getTime()).toBe(started + 5 * MIN);
    const pushed = await live;
    expect(pushed.sla).toMatchObject({ next: { metric: "first_response", state: "running" }, breached: false });

    // Retiring the VIP policy puts the conversation back on the standard one (re-applied on a worker).
    expect((await call(admin, "PATCH", `/sla-policies/${policies.vip}`, { active: false })).status).toBe(200);
    await waitFor(async () => (await sla(c.id))!.policy_id === policies.standard);
    expect((await call(admin, "PATCH", `/sla-policies/${policies.vip}`, { active: true })).status).toBe(200);
    await waitFor(async () => (await sla(c.id))!.policy_id === policies.vip);

    // Resolved before any target was due and without a reply: resolution met, no first response to count.
    await changeConversationStatus(app.ctx, { actor: actorOf(), conversationId: c.id, status: "resolved" });
    await app.ctx.queue.drain();
    expect(await sla(c.id)).toMatchObject({ first_response_at: null, first_response_breached_at: null, next_due_at: null });
  });

  it("leaves the bot's conversations alone", async () => {
    const bot = await createConversation(app.ctx, { inboxId, contactId, status: "pending" });
    await postMessage(app.ctx, {
      conversationId: bot.id,
      messageType: "incoming",
      senderType: "contact",
      senderId: contactId,
      content: "hello",
    });
    await app.ctx.queue.drain();
    expect(await sla(bot.id)).toBeUndefined();
  });

  it("counts the business hours of the inbox when the policy says so", async () => {
    const hours = Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, { open: "09:00", close: "18:00" }]));
    const office = await createInbox(app.ctx, {
      actor: SYSTEM,
      name: "Office hours",
      slug: "office-hours",
      channel: "api",
      settings: { botEnabled: false, timezone: "Asia/Shanghai", workingHours: hours },
    });
    const p = await call(admin, "POST", "/sla-policies", {
      name: "Office",
      position: 500,
      firstResponseMinutes: 240,
      holidayCalendar: "cn",
      conditions: { inboxIds: [office.id] },
    });
    expect(p.status).toBe(201);
    const c = await createConversation(app.ctx, { inboxId: office.id, contactId, status: "open" });
    await app.ctx.queue.drain();
    const s = (await sla(c.id))!;
    expect(s.policy_id).toBe(p.body.id);
    const schedule = { timezone: "Asia/Shanghai", hours, holidays: "cn" as const };
    expect(new Date(s.first_response_due_at).toISOString()).toBe(addWorkingMinutes(new Date(s.started_at), 240, schedule).toISOString());
    // Four working hours are never less than four hours of the clock.
    expect(new Date(s.first_response_due_at).getTime()).toBeGreaterThanOrEqual(new Date(s.started_at).getTime() + 240 * MIN);
  });
});

describe("responses met and missed, breaches, the list and the report", () => {
  let conversationId = "";

  it("records the first response met when an agent replies in time", async () => {
    const c = await openConversation();
    conversationId = c.id;
    await updateConversation(app.ctx, { actor: SYSTEM, conversationId, labels: ["vip"] });
    await app.ctx.queue.drain();
    // A private note is no response.
    await postMessage(app.ctx, {
      conversationId,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "checking",
      private: true,
    });
    await app.ctx.queue.drain();
    expect((await sla(conversationId))!.first_response_at).toBeNull();
    await reply(conversationId);
    await app.ctx.queue.drain();
    const s = (await sla(conversationId))!;
    expect(s.first_response_at).not.toBeNull();
    expect(new Date(s.first_response_at) <= new Date(s.first_response_due_at)).toBe(true);
    expect(s.first_response_breached_at).toBeNull();
    const shown = (await call(agent, "GET", `/conversations/${conversationId}`)).body.sla;
    expect(shown).toMatchObject({ policyName: "VIP customers", firstResponse: { state: "met" }, next: { metric: "resolution" } });
  });

  it("starts a next-response wait when the customer writes, and alerts once at 80 % and once at the breach, to the console and the webhook", async () => {
    await postMessage(app.ctx, {
      conversationId,
      messageType: "incoming",
      senderType: "contact",
      senderId: contactId,
      content: "Any news?",
    });
    await app.ctx.queue.drain();
    const s = (await sla(conversationId))!;
    expect(s.next_response_since).not.toBeNull();
    const since = new Date(s.next_response_since).getTime();
    expect(new Date(s.next_response_due_at).getTime()).toBe(since + 10 * MIN);

    const nearAlert = nextEvent<Json>(consoleSocket, "sla_alert", (a) => a.conversationId === conversationId && a.level === "near_breach");
    const near = await checkSlaClocks(app.ctx, new Date(since + 9 * MIN));
    expect(near).toContainEqual({ conversationId, metric: "next_response", level: "near_breach" });
    expect(await nearAlert).toMatchObject({ metric: "next_response", policyName: "VIP customers" });
    expect((await checkSlaClocks(app.ctx, new Date(since + 9 * MIN))).filter((a) => a.conversationId === conversationId)).toEqual([]);

    const breachAlert = nextEvent<Json>(consoleSocket, "sla_alert", (a) => a.conversationId === conversationId && a.level === "breach");
    const breach = await checkSlaClocks(app.ctx, new Date(since + 11 * MIN));
    expect(breach).toContainEqual({ conversationId, metric: "next_response", level: "breach" });
    await breachAlert;
    expect((await checkSlaClocks(app.ctx, new Date(since + 12 * MIN))).filter((a) => a.conversationId === conversationId)).toEqual([]);
    const alerts = await app.db.query<Json>("SELECT metric, level FROM sla_alerts WHERE conversation_id = $1 ORDER BY id", [
      conversationId,
    ]);
    expect(alerts.rows).toEqual([
      { metric: "next_response", level: "near_breach" },
      { metric: "next_response", level: "breach" },
    ]);
    expect(new Date((await sla(conversationId))!.next_response_breached_at).getTime()).toBe(since + 10 * MIN);

    await waitFor(() => received.some((e) => e.event === "conversation.sla_breach" && e.data.conversation.id === conversationId));
    const body = received.find((e) => e.event === "conversation.sla_breach" && e.data.conversation.id === conversationId)!;
    expect(body.data).toMatchObject({
      metric: "next_response",
      policy: { id: policies.vip, name: "VIP customers" },
      dueAt: new Date(since + 10 * MIN).toISOString(),
    });
    // Only breaches go to webhooks subscribed to them: the near-breach did not.
    expect(received.filter((e) => e.data.conversation.id === conversationId)).toHaveLength(1);
  });

  it("records the next response missed when the agent replies after its due time", async () => {
    await customerWroteAgo(conversationId, 30);
    await app.ctx.queue.enqueue("sla.refresh", { conversationId });
    await app.ctx.queue.drain();
    const before = (await sla(conversationId))!;
    expect(new Date(before.next_response_due_at).getTime()).toBeLessThan(Date.now());
    const shown = (await call(agent, "GET", `/conversations/${conversationId}`)).body.sla;
    expect(shown).toMatchObject({ breached: true, next: { metric: "next_response", state: "breached" } });

    await reply(conversationId, "Sorry for the wait: the card is on its way.");
    await app.ctx.queue.drain();
    const after = (await sla(conversationId))!;
    expect(after).toMatchObject({ next_responses_met: 0, next_responses_missed: 1, next_response_since: null });

    // The next wait, answered in time, is met.
    await postMessage(app.ctx, { conversationId, messageType: "incoming", senderType: "contact", senderId: contactId, content: "Thanks!" });
    await app.ctx.queue.drain();
    await reply(conversationId, "You're welcome.");
    await app.ctx.queue.drain();
    expect(await sla(conversationId)).toMatchObject({ next_responses_met: 1, next_responses_missed: 1 });
  });

  it("records a first response missed when the agent answers late, and lists the breached conversation first by time left", async () => {
    const late = await openConversation();
    // The conversation reached people two hours ago (standard policy: 60 minutes to the first response).
    await app.db.query("UPDATE conversation_slas SET started_at = started_at - interval '2 hours' WHERE conversation_id = $1", [late.id]);
    await app.ctx.queue.enqueue("sla.refresh", { conversationId: late.id });
    await app.ctx.queue.drain();
    const fresh = await openConversation();

    const list = await call(agent, "GET", `/conversations?inboxId=${inboxId}&status=open&sort=sla`);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: Json) => c.id);
    expect(ids[0]).toBe(late.id);
    expect(ids).toContain(fresh.id);
    expect(list.body.items[0].sla).toMatchObject({ policyName: "Standard", breached: true, firstResponse: { state: "breached" } });
    const dues = list.body.items.filter((c: Json) => c.sla?.next).map((c: Json) => c.sla.next.dueAt);
    expect(dues).toEqual([...dues].sort());

    await reply(late.id);
    await app.ctx.queue.drain();
    const s = (await sla(late.id))!;
    expect(s.first_response_breached_at).not.toBeNull();
    expect((await call(agent, "GET", `/conversations/${late.id}`)).body.sla.firstResponse.state).toBe("missed");
  });

  it("records the resolution, and reports attainment per policy with a CSV export", async () => {
    await changeConversationStatus(app.ctx, { actor: actorOf(), conversationId, status: "resolved" });
    await app.ctx.queue.drain();
    const s = (await sla(conversationId))!;
    expect(s.resolved_at).not.toBeNull();
    expect(s.next_due_at).toBeNull();

    const report = await call(agent, "GET", "/reports/sla");
    expect(report.status).toBe(200);
    const vip = report.body.items.find((r: Json) => r.policy === "VIP customers");
    expect(vip).toMatchObject({
      firstResponse: { met: 1, missed: 0, rate: 1 },
      nextResponse: { met: 0, missed: 1, rate: 0, waitsMet: 1, waitsMissed: 1 },
      conversations: 2,
      resolution: { met: 2, missed: 0, rate: 1 },
    });
    const standard = report.body.items.find((r: Json) => r.policy === "Standard");
    expect(standard.firstResponse.missed).toBeGreaterThanOrEqual(1);

    const csv = await call(agent, "GET", "/reports/sla.csv");
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "policy,active,conversations,first_response_met,first_response_missed,first_response_rate,next_response_met,next_response_missed,next_response_rate,waits_met,waits_missed,resolution_met,resolution_missed,resolution_rate",
    );
    expect(lines).toContain("VIP customers,true,2,1,0,1,0,1,0,1,1,2,0,1");
  });

  it("starts the targets afresh when a resolved conversation comes back to people, through the bot or not", async () => {
    // The customer writes again: the conversation goes to the assistant, and the last round stays as it ended.
    await postMessage(app.ctx, {
      conversationId,
      messageType: "incoming",
      senderType: "contact",
      senderId: contactId,
      content: "One more thing",
    });
    await app.ctx.queue.drain();
    expect((await findConversation(app.db, conversationId))!.status).toBe("pending");
    const ended = (await sla(conversationId))!;
    expect(ended.resolved_at).not.toBeNull();
    expect(ended).toMatchObject({ next_responses_met: 1, next_responses_missed: 1, next_due_at: null });

    await handOff(app.ctx, { conversationId, reason: "explicit_request", summary: "Asked for a person again" });
    await app.ctx.queue.drain();
    const s = (await sla(conversationId))!;
    expect(s).toMatchObject({ resolved_at: null, first_response_at: null, next_responses_met: 0, next_responses_missed: 0 });
    const handedOff = (await findConversation(app.db, conversationId))!.handed_off_at!;
    expect(new Date(s.started_at).toISOString()).toBe(handedOff.toISOString());
    expect(new Date(s.first_response_due_at).getTime()).toBe(handedOff.getTime() + 5 * MIN);
  });
});
