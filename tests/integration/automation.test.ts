/**
 * Automation rules end to end on a real server (embedded database, or PostgreSQL and
 * Redis when configured): admins write rules through the API (validated, audited);
 * a negative reading of a VIP customer's message raises the priority and routes to
 * the senior team; a customer left without a reply for 4 h is escalated by the
 * periodic check; rules never re-trigger themselves or loop through each other and
 * run once per event; and a snoozed conversation's SLA clocks stand still.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, type Json, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { updateConversation } from "../../server/commands/updateConversation.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { findConversation } from "../../server/conversations/queries.ts";
import { SYSTEM } from "../../server/actor.ts";
import { checkNoReply } from "../../server/automation/checkNoReply.ts";
import { runAutomationRules } from "../../server/automation/runAutomationRules.ts";
import { checkSlaClocks } from "../../server/sla/checkSlaClocks.ts";
import { createWebhook } from "../../server/webhooks/commands/createWebhook.ts";

type Session = { cookie: string; csrf: string };

let app: TestApp;
let admin: Session;
let agent: Session;
let agentId = "";
let seniorTeamId = "";
const MIN = 60_000;
const agentActor = () => ({ type: "agent" as const, id: agentId, role: "agent" as const, teamIds: [] as string[] });

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

let inboxes = 0;
/** An inbox of the test's own (rules name it, so one test's rules leave the others' conversations alone). */
async function inbox(botEnabled = false) {
  inboxes++;
  return (
    await createInbox(app.ctx, {
      actor: SYSTEM,
      name: `Line ${inboxes}`,
      slug: `auto-line-${inboxes}`,
      channel: "api",
      settings: { botEnabled },
    })
  ).id;
}

async function contact(name: string, attributes: Record<string, unknown> = {}) {
  return (await app.db.query<{ id: string }>("INSERT INTO contacts (name, attributes) VALUES ($1, $2) RETURNING id", [name, attributes]))
    .rows[0]!.id;
}

async function customerWrites(conversationId: string, contactId: string, content: string) {
  return (await postMessage(app.ctx, { conversationId, messageType: "incoming", senderType: "contact", senderId: contactId, content }))
    .message;
}

async function settle() {
  // Rules run in a lane, and a rule's actions queue further jobs: drain until nothing is left.
  for (let i = 0; i < 3; i++) {
    await app.ctx.queue.drain();
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function runs(conversationId: string) {
  return (await call(admin, "GET", `/admin/automation-runs?conversationId=${conversationId}`)).body.items as Json[];
}

async function rule(body: Json) {
  const r = await call(admin, "POST", "/admin/automation-rules", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
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
  seniorTeamId = (await createTeam(app.ctx, { actor: SYSTEM, name: "Senior care", slug: "senior-care" })).id;
});
afterAll(async () => {
  await app?.close();
  hook?.close();
});

let hook: http.Server;
const received: Json[] = [];

describe("automation rules", () => {
  it("lets admins add, change and delete rules (audited), and refuses agents and invalid rules", async () => {
    const body = {
      name: "Card fraud to seniors",
      event: "customer_message_created",
      conditions: { keywords: ["Fraud"] },
      actions: [
        { type: "assign_team", teamId: seniorTeamId },
        { type: "add_label", label: " Fraud " },
      ],
      active: false,
    };
    expect((await call(agent, "POST", "/admin/automation-rules", body)).status).toBe(403);
    expect((await call(agent, "GET", "/admin/automation-rules")).status).toBe(403);
    const bad = await call(admin, "POST", "/admin/automation-rules", { ...body, actions: [{ type: "delete_everything" }] });
    expect(bad.status).toBe(400);
    expect((await call(admin, "POST", "/admin/automation-rules", { ...body, actions: [] })).status).toBe(400);
    // `no_reply` needs its hours; only it takes them.
    expect((await call(admin, "POST", "/admin/automation-rules", { ...body, event: "no_reply" })).status).toBe(400);
    expect((await call(admin, "POST", "/admin/automation-rules", { ...body, noReplyHours: 4 })).status).toBe(400);
    // A team that does not exist is refused, not saved to fail later.
    const ghost = await call(admin, "POST", "/admin/automation-rules", {
      ...body,
      actions: [{ type: "assign_team", teamId: "00000000-0000-4000-8000-000000000000" }],
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.details[0].path).toBe("actions.0.teamId");

    const created = await call(admin, "POST", "/admin/automation-rules", body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Card fraud to seniors", active: false, conditions: { keywords: ["fraud"] } });
    expect(created.body.actions[1]).toEqual({ type: "add_label", label: "fraud" });
    expect((await call(admin, "POST", "/admin/automation-rules", body)).status).toBe(409);

    const changed = await call(admin, "PATCH", `/admin/automation-rules/${created.body.id}`, { event: "no_reply", noReplyHours: 2 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ event: "no_reply", noReplyHours: 2 });
    expect((await call(admin, "PATCH", `/admin/automation-rules/${created.body.id}`, { noReplyHours: null })).status).toBe(400);
    expect((await call(admin, "GET", "/admin/automation-rules")).body.items.map((r: Json) => r.name)).toContain("Card fraud to seniors");
    expect((await call(admin, "DELETE", `/admin/automation-rules/${created.body.id}`)).status).toBe(204);
    expect((await call(admin, "DELETE", `/admin/automation-rules/${created.body.id}`)).status).toBe(404);

    const audit = await app.db.query<{ action: string; data: Json }>(
      "SELECT action, data FROM audit_log WHERE target_type = 'automation_rule' AND target_id = $1 ORDER BY id",
      [created.body.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["automation_rule.create", "automation_rule.update", "automation_rule.delete"]);
    expect(audit.rows[1]!.data.changes).toEqual({
      event: { from: "customer_message_created", to: "no_reply" },
      noReplyHours: { from: null, to: 2 },
    });
    expect(audit.rows[2]!.data).toMatchObject({ name: "Card fraud to seniors", event: "no_reply" });
  });

  it("negative sentiment from a VIP customer: priority high and the senior team, said in the thread; others untouched", async () => {
    const line = await inbox(true);
    const id = await rule({
      name: "Unhappy VIP",
      event: "sentiment_negative",
      conditions: { inboxIds: [line], sentimentNegative: true, contactAttribute: { key: "tier", value: "VIP" } },
      actions: [
        { type: "set_priority", priority: "high" },
        { type: "assign_team", teamId: seniorTeamId },
      ],
    });
    const vip = await contact("Vera Vip", { tier: "vip" });
    const plain = await contact("Paul Plain", { tier: "standard" });
    const words = "This is the worst banking app I have ever used";
    const a = await createConversation(app.ctx, { inboxId: line, contactId: vip });
    const b = await createConversation(app.ctx, { inboxId: line, contactId: plain });
    await customerWrites(a.id, vip, words);
    await customerWrites(b.id, plain, words);
    await settle();

    const after = (await findConversation(app.db, a.id))!;
    expect(after.sentiment_label).toBe("negative");
    expect(after.priority).toBe("high");
    expect(after.team_id).toBe(seniorTeamId);
    const other = (await findConversation(app.db, b.id))!;
    expect(other.sentiment_label).toBe("negative");
    expect(other.team_id).not.toBe(seniorTeamId);
    expect(await runs(b.id)).toEqual([]);

    const [run] = await runs(a.id);
    expect(run).toMatchObject({ ruleId: id, ruleName: "Unhappy VIP", event: "sentiment_negative", error: null });
    expect(run!.actionsTaken).toEqual(["set priority high", "assigned team Senior care"]);
    // Why it changed, in the conversation: a private activity (the customer never sees the rule).
    const note = await app.db.query<{ content: string; private: boolean }>(
      "SELECT content, private FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'automation'",
      [a.id],
    );
    expect(note.rows).toEqual([
      { content: 'Automation rule "Unhappy VIP" ran: set priority high, assigned team Senior care', private: true },
    ]);
    // The changes are the system's, in the audit log like any other.
    const audit = await app.db.query(
      "SELECT 1 FROM audit_log WHERE actor_type = 'system' AND action = 'conversation.assign' AND target_id = $1",
      [a.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it("routes by customer segment: a new conversation of a customer in the segment goes to the senior team; a segment named must exist", async () => {
    const line = await inbox();
    const segment = (await call(admin, "POST", "/segments", { name: "Detractors", criteria: { npsDetractor: true } })).body.id as string;
    const ghost = await call(admin, "POST", "/admin/automation-rules", {
      name: "Ghost segment",
      event: "conversation_created",
      conditions: { segmentIds: [crypto.randomUUID()] },
      actions: [{ type: "assign_team", teamId: seniorTeamId }],
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.details[0].path).toBe("conditions.segmentIds");
    const id = await rule({
      name: "Detractors to seniors",
      event: "conversation_created",
      conditions: { inboxIds: [line], segmentIds: [segment] },
      actions: [{ type: "assign_team", teamId: seniorTeamId }],
    });
    // Dora answered 3 last time (a detractor); Pia answered 10.
    const answered = async (name: string, score: number) => {
      const who = await contact(name);
      const earlier = await createConversation(app.ctx, { inboxId: line, contactId: who });
      await app.db.query(
        "INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, answered_at) VALUES ($1, $2, $3, $4, now())",
        [earlier.id, who, line, score],
      );
      return who;
    };
    const dora = await answered("Dora Detractor", 3);
    const pia = await answered("Pia Promoter", 10);
    await settle();
    const doraNew = await createConversation(app.ctx, { inboxId: line, contactId: dora });
    const piaNew = await createConversation(app.ctx, { inboxId: line, contactId: pia });
    await settle();
    expect((await findConversation(app.db, doraNew.id))!.team_id).toBe(seniorTeamId);
    expect((await findConversation(app.db, piaNew.id))!.team_id).not.toBe(seniorTeamId);
    expect((await runs(doraNew.id)).map((r) => r.ruleId)).toEqual([id]);
    expect(await runs(piaNew.id)).toEqual([]);
  });

  it("no reply in 4 h: the periodic check escalates the conversation once", async () => {
    const line = await inbox();
    await rule({
      name: "Escalate after 4 h",
      event: "no_reply",
      noReplyHours: 4,
      conditions: { inboxIds: [line], statuses: ["open"] },
      actions: [
        { type: "set_priority", priority: "urgent" },
        { type: "assign_team", teamId: seniorTeamId },
        { type: "add_private_note", content: "Waiting over 4 hours: please answer first." },
      ],
    });
    const who = await contact("Wendy Waiting");
    const c = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await customerWrites(c.id, who, "Is anyone there? My transfer has not arrived.");
    const replied = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await customerWrites(replied.id, who, "Where is my card?");
    await postMessage(app.ctx, {
      conversationId: replied.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "On its way.",
    });
    await settle();

    const waited = (await findConversation(app.db, c.id))!.waiting_since!;
    expect(await checkNoReply(app.ctx, new Date(waited.getTime() + 3 * 60 * MIN))).toBe(0); // 3 h: not yet
    const later = new Date(waited.getTime() + 4 * 60 * MIN + MIN);
    // Queued for every conversation waiting that long (the rule's conditions are the run's to check).
    expect(await checkNoReply(app.ctx, later)).toBeGreaterThanOrEqual(1);
    await settle();
    const after = (await findConversation(app.db, c.id))!;
    expect(after).toMatchObject({ priority: "urgent", team_id: seniorTeamId });
    const notes = async () =>
      (await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND private AND content LIKE 'Waiting over 4 hours%'", [c.id]))
        .rowCount;
    expect(await notes()).toBe(1);
    // Recorded: the same wait is not escalated again.
    await checkNoReply(app.ctx, new Date(later.getTime() + MIN));
    await settle();
    expect((await runs(c.id)).map((r) => r.event)).toEqual(["no_reply"]);
    expect(await notes()).toBe(1);
    // The customer who had an answer is not waiting.
    expect(await runs(replied.id)).toEqual([]);
    expect((await findConversation(app.db, replied.id))!.priority).toBe("none");
  });

  it("two rules undoing each other's change do not ping-pong: each chain stops at a rule already in it", async () => {
    const line = await inbox();
    const lower = await rule({
      name: "High to low",
      event: "conversation_updated",
      conditions: { inboxIds: [line], priorities: ["high"] },
      actions: [{ type: "set_priority", priority: "low" }],
    });
    const raise = await rule({
      name: "Low to high",
      event: "conversation_updated",
      conditions: { inboxIds: [line], priorities: ["low"] },
      actions: [{ type: "set_priority", priority: "high" }],
    });
    const who = await contact("Lou Loop");
    const c = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await updateConversation(app.ctx, { actor: agentActor(), conversationId: c.id, priority: "high" });
    await settle();
    // The agent's change → "High to low" → "Low to high" → (both in the chain) nothing more.
    const done = await runs(c.id);
    expect(done.map((r) => r.ruleId).reverse()).toEqual([lower, raise]);
    expect((await findConversation(app.db, c.id))!.priority).toBe("high");
  });

  it("a rule's own actions never trigger it again, and a run is once per event", async () => {
    const line = await inbox();
    const touch = await rule({
      name: "Touch on every update",
      event: "conversation_updated",
      conditions: { inboxIds: [line] },
      actions: [
        { type: "add_label", label: "touched" },
        { type: "add_private_note", content: "Updated." },
      ],
    });
    const who = await contact("Tess Touch");
    const c = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await updateConversation(app.ctx, { actor: agentActor(), conversationId: c.id, priority: "medium" });
    await settle();
    // Its label is an update too, heard with the rule in its chain: not run for it.
    expect((await runs(c.id)).map((r) => r.ruleId)).toEqual([touch]);
    expect((await findConversation(app.db, c.id))!.labels).toEqual(["touched"]);
    const notes = async () =>
      (await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND content = 'Updated.'", [c.id])).rowCount;
    expect(await notes()).toBe(1);

    // The same event again (a retried job, a second worker): nothing more happens.
    const first = await app.db.query<{ event_key: string }>("SELECT event_key FROM automation_rule_runs WHERE rule_id = $1", [touch]);
    const again = await runAutomationRules(app.ctx, {
      event: "conversation_updated",
      eventKey: first.rows[0]!.event_key,
      conversationId: c.id,
      chain: [],
    });
    expect(again).toEqual([]);
    // A new update by an agent is a new event: it runs again.
    await updateConversation(app.ctx, { actor: agentActor(), conversationId: c.id, priority: "high" });
    await settle();
    expect(await runs(c.id)).toHaveLength(2);
    expect(await notes()).toBe(2);
  });
});

describe("automation rules on service levels", () => {
  it("an SLA breach: a canned reply and a webhook event; a failing action is recorded and the others still run", async () => {
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
      events: ["conversation.automation_fired"],
    });
    const line = await inbox();
    expect(
      (
        await call(admin, "POST", "/sla-policies", {
          name: "Breach test line",
          firstResponseMinutes: 60,
          businessHours: false,
          conditions: { inboxIds: [line] },
        })
      ).status,
    ).toBe(201);
    const sorry = (
      await app.db.query<{ id: string }>(
        "INSERT INTO canned_responses (short_code, content) VALUES ('sorry-wait', 'Sorry for the wait: a senior colleague is on it.') RETURNING id",
      )
    ).rows[0]!.id;
    const leaver = (
      await createAgent(app.ctx, {
        actor: SYSTEM,
        email: "leo@example.com",
        name: "Leo Leaving",
        role: "agent",
        password: "correct-horse-battery",
      })
    ).id;
    const id = await rule({
      name: "Breached: apologise and tell the bank",
      event: "sla_breach",
      conditions: { inboxIds: [line] },
      actions: [
        { type: "assign_agent", agentId: leaver },
        { type: "send_canned_reply", cannedResponseId: sorry },
        { type: "send_webhook_event" },
      ],
    });
    // The agent named in the rule left after it was written: that action fails when it runs.
    await app.db.query("UPDATE agents SET disabled_at = now() WHERE id = $1", [leaver]);
    const who = await contact("Bea Breach");
    const c = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await customerWrites(c.id, who, "Hello? I have been waiting for an answer about my loan.");
    await settle();
    const due = (
      await app.db.query<{ at: Date }>("SELECT first_response_due_at AS at FROM conversation_slas WHERE conversation_id = $1", [c.id])
    ).rows[0]!.at;
    expect(await checkSlaClocks(app.ctx, new Date(due.getTime() + MIN))).toEqual(
      expect.arrayContaining([{ conversationId: c.id, metric: "first_response", level: "breach" }]),
    );
    await settle();

    const [run] = await runs(c.id);
    expect(run).toMatchObject({ ruleId: id, event: "sla_breach", actionsTaken: ["sent a canned reply", "sent a webhook event"] });
    expect(run!.error).toBe("assign_agent: No such agent");
    const reply = await app.db.query(
      "SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_type = 'bot' AND NOT private AND content LIKE 'Sorry for the wait%'",
      [c.id],
    );
    expect(reply.rowCount).toBe(1);
    expect((await findConversation(app.db, c.id))!.assignee_id).toBeNull();
    for (let i = 0; i < 100 && !received.length; i++) {
      await settle();
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      event: "conversation.automation_fired",
      data: { conversation: { id: c.id }, rule: { id, name: "Breached: apologise and tell the bank" }, trigger: "sla_breach" },
    });
  });
});

describe("snooze pauses SLA clocks", () => {
  it("stops the clocks while snoozed and adds the snoozed time to the due times when it is back", async () => {
    const line = await inbox();
    const policy = await call(admin, "POST", "/sla-policies", {
      name: "Snooze test line",
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      businessHours: false,
      conditions: { inboxIds: [line] },
    });
    expect(policy.status).toBe(201);
    const who = await contact("Sid Snooze");
    const c = await createConversation(app.ctx, { inboxId: line, contactId: who, status: "open" });
    await customerWrites(c.id, who, "My card does not work abroad");
    await settle();
    const sla = async () => (await app.db.query<Json>("SELECT * FROM conversation_slas WHERE conversation_id = $1", [c.id])).rows[0]!;
    const before = await sla();
    expect(before.first_response_due_at).toBeInstanceOf(Date);

    await changeConversationStatus(app.ctx, {
      actor: SYSTEM,
      conversationId: c.id,
      status: "snoozed",
      snoozedUntil: new Date(Date.now() + 60 * MIN),
    });
    await settle();
    const snoozed = await sla();
    expect(snoozed.next_due_at).toBeNull(); // nothing is due while snoozed
    // Not alerted while snoozed, even long after the original due time.
    expect(await checkSlaClocks(app.ctx, new Date(before.first_response_due_at.getTime() + 10 * MIN))).toEqual([]);

    // As if the customer had written 50 minutes ago, and it had been snoozed 5 minutes later.
    await app.db.query("UPDATE conversation_slas SET started_at = started_at - interval '50 minutes' WHERE conversation_id = $1", [c.id]);
    await app.db.query("UPDATE conversation_sla_pauses SET started_at = started_at - interval '45 minutes' WHERE conversation_id = $1", [
      c.id,
    ]);
    const reopenedAt = Date.now();
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "open" });
    await settle();
    const back = await sla();
    const pause = (await app.db.query<Json>("SELECT * FROM conversation_sla_pauses WHERE conversation_id = $1", [c.id])).rows;
    expect(pause).toHaveLength(1);
    expect(pause[0]!.ended_at).toBeInstanceOf(Date);
    const paused = pause[0]!.ended_at.getTime() - pause[0]!.started_at.getTime();
    expect(paused).toBeGreaterThanOrEqual(45 * MIN);
    expect(paused).toBeLessThan(45 * MIN + (Date.now() - reopenedAt) + 60_000);
    // Every running target is due later by exactly the snoozed time.
    const started = back.started_at.getTime();
    expect(back.first_response_due_at.getTime()).toBe(started + 60 * MIN + paused);
    expect(back.resolution_due_at.getTime()).toBe(started + 480 * MIN + paused);
    expect(back.next_due_at.getTime()).toBe(back.first_response_due_at.getTime());
    // An hour after the customer wrote, the target would have been breached without the snooze; it is not.
    expect(await checkSlaClocks(app.ctx, new Date(started + 61 * MIN))).toEqual([]);
    expect(await checkSlaClocks(app.ctx, new Date(back.first_response_due_at.getTime() + MIN))).toEqual(
      expect.arrayContaining([{ conversationId: c.id, metric: "first_response", level: "breach" }]),
    );
  });
});
