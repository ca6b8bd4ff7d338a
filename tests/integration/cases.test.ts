/**
 * Complaint cases end to end on a real server (embedded database, or PostgreSQL and
 * Redis when configured): a complaint in the widget opens a case with a reference and
 * its clock, the assistant tells the customer both and hands off; agents work the case
 * through the REST API (owner rule, status machine, extension with approval, letters);
 * the clock check records a breach once, on the timeline, to the console and by webhook.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import {
  callApi,
  connectWidget,
  emitAck,
  type Json,
  nextEvent,
  signInAgent,
  startTestApp,
  type TestApp,
  unpackAgentEvents,
} from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createWebhook } from "../../server/webhooks/commands/createWebhook.ts";
import { assignConversation } from "../../server/assignment/commands/assignConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { SYSTEM } from "../../server/actor.ts";
import { checkCaseClocks } from "../../server/cases/checkCaseClocks.ts";
import { computeCaseClock } from "../../server/cases/caseClock.ts";
import { PRESETS } from "../../server/cases/jurisdictions.ts";

type Session = { cookie: string; csrf: string };

let app: TestApp;
let sup: Session;
let specialist: Session;
let handler: Session;
let editor: Session;
const ids = { sup: "", specialist: "", handler: "" };
let hook: http.Server;
const received: Json[] = [];

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

beforeAll(async () => {
  app = await startTestApp();
  const care = (await app.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = 'care'")).rows[0]!.id;
  const general = (await app.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = 'general'")).rows[0]!.id;
  const make = (email: string, name: string, role: "admin" | "agent", teamIds: string[]) =>
    createAgent(app.ctx, { actor: SYSTEM, email, name, role, password: "correct-horse-battery", teamIds });
  ids.sup = (await make("sup@example.com", "Grace Supervisor", "admin", [care, general])).id;
  ids.specialist = (await make("spec@example.com", "Zhou Specialist", "agent", [care])).id;
  ids.handler = (await make("handler@example.com", "Hu Handler", "agent", [care, general])).id;
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "editor@example.com",
    name: "Kim Editor",
    role: "content",
    password: "correct-horse-battery",
  });
  editor = await signInAgent(app, "editor@example.com", "correct-horse-battery");
  sup = await signInAgent(app, "sup@example.com", "correct-horse-battery");
  specialist = await signInAgent(app, "spec@example.com", "correct-horse-battery");
  handler = await signInAgent(app, "handler@example.com", "correct-horse-battery");
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
    events: ["case.created", "case.status_changed", "case.clock_alert"],
  });
});
afterAll(async () => {
  await app?.close();
  hook?.close();
});

type Msg = { id: string; conversationId: string; content: string; sender: { type: string }; attributes: Record<string, unknown> };

async function complain(text: string) {
  const { socket } = await connectWidget(app, { locale: "zh-CN" });
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<{ ok: boolean; message: Msg }>(socket, "message:send", { clientId: crypto.randomUUID(), content: text });
  expect(ack.ok).toBe(true);
  const reply = await botReply;
  await app.ctx.queue.drain();
  return { socket, conversationId: ack.message.conversationId, reply };
}

describe("complaint cases", () => {
  let caseId = "";
  let reference = "";

  it("opens a case from a Chinese complaint in the widget, tells the customer the reference and the deadline, and hands off", async () => {
    const { socket, conversationId: cid, reply } = await complain("我要投诉你们网点的工作人员，柜员态度恶劣");
    const m = reply.content.match(/CR-\d{4}-\d{6}/);
    expect(m, reply.content).toBeTruthy();
    reference = m![0];
    expect(reply.content).toMatch(/已为您登记投诉/);
    expect(reply.content).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(reply.attributes).toMatchObject({ kind: "handoff", reason: "complaint" });
    const c = (await app.db.query<Json>("SELECT * FROM cases WHERE reference = $1", [reference])).rows[0]!;
    caseId = c.id;
    expect(c).toMatchObject({ source: "assistant", language: "zh", status: "received", jurisdiction: "cn", severity: "medium" });
    // The 15-working-day clock on the mainland China calendar, from the day of receipt in Shanghai.
    expect(new Date(c.due_at).toISOString()).toBe(computeCaseClock(PRESETS.cn, new Date(c.received_at)).dueAt.toISOString());
    const conv = (await app.db.query<Json>("SELECT status, handoff_reason, priority FROM conversations WHERE id = $1", [cid])).rows[0];
    expect(conv).toEqual({ status: "open", handoff_reason: "complaint", priority: "high" });
    // The customer wrote again: the same case, not a second one (the bot is silent on an open conversation anyway).
    expect((await app.db.query("SELECT 1 FROM case_conversations WHERE conversation_id = $1", [cid])).rowCount).toBe(1);
    await waitFor(() => received.some((e) => e.event === "case.created" && e.data.case.reference === reference));
    socket.disconnect();
  });

  it("does not open a second case when the customer asks how theirs is going: the new conversation joins it", async () => {
    const { socket, conversationId: first, reply } = await complain("我要投诉，你们乱扣我的年费");
    const ref = reply.content.match(/CR-\d{4}-\d{6}/)![0];
    await app.db.query("UPDATE conversations SET status = 'resolved' WHERE id = $1", [first]);
    const casesBefore = (await app.db.query("SELECT 1 FROM cases")).rowCount;
    for (const question of [`any news on my complaint ${ref}? still waiting`, "我的投诉处理到哪一步了"]) {
      const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && m.conversationId !== first);
      const ack = await emitAck<{ ok: boolean; message: Msg }>(socket, "message:send", {
        clientId: crypto.randomUUID(),
        content: question,
      });
      expect(ack.ok).toBe(true);
      const answer = await botReply;
      expect(answer.content, question).toContain(ref);
      expect(answer.content, question).not.toMatch(/已为您登记投诉|I've recorded your complaint/);
      const linked = await app.db.query("SELECT 1 FROM case_conversations cc JOIN cases c ON c.id = cc.case_id WHERE c.reference = $1", [
        ref,
      ]);
      expect(linked.rowCount).toBeGreaterThan(1);
      await app.db.query("UPDATE conversations SET status = 'resolved' WHERE id = $1", [ack.message.conversationId]);
    }
    expect((await app.db.query("SELECT 1 FROM cases")).rowCount).toBe(casesBefore);
    socket.disconnect();
  });

  it("shows the case to the team and supervisors, by id or reference, and not to a content editor", async () => {
    const byRef = await call(specialist, "GET", `/cases/${reference}`);
    expect(byRef.status).toBe(200);
    expect(byRef.body).toMatchObject({ id: caseId, status: "received", clocks: { finalResponse: { state: "running" } } });
    expect(byRef.body.timeline.map((e: Json) => e.kind)).toEqual(["received"]);
    expect(byRef.body.conversations).toHaveLength(1);
    const mine = await call(specialist, "GET", "/cases?view=mine");
    expect(mine.body.items).toHaveLength(0);
    const all = await call(sup, "GET", "/cases");
    expect(all.body.items.map((c: Json) => c.reference)).toContain(reference);
    expect((await call(editor, "GET", "/cases")).status).toBe(403);
    expect((await call(editor, "GET", `/cases/${caseId}`)).status).toBe(404);
  });

  it("refuses as owner the agent who handled the complained-about conversation, and accepts a specialist", async () => {
    // A second complaint, handled by Hu first: Hu may not own it.
    const { socket, conversationId: cid } = await complain("I want to make a formal complaint about your branch staff");
    const agentActor = { type: "agent" as const, id: ids.handler, role: "agent" as const, teamIds: [] as string[] };
    const care = (await app.db.query<{ team_id: string }>("SELECT team_id FROM conversations WHERE id = $1", [cid])).rows[0]!.team_id;
    agentActor.teamIds.push(care);
    await assignConversation(app.ctx, { actor: agentActor, conversationId: cid, assigneeId: ids.handler });
    await postMessage(app.ctx, {
      conversationId: cid,
      messageType: "outgoing",
      senderType: "agent",
      senderId: ids.handler,
      content: "Sorry about that.",
    });
    const opened = await call(handler, "POST", "/cases", {
      conversationId: cid,
      summary: "Rude staff at the branch (second complaint)",
      severity: "high",
    });
    expect(opened.status).toBe(201);
    expect(opened.body.reference).toMatch(/^CR-\d{4}-\d{6}$/);
    const refused = await call(sup, "POST", `/cases/${opened.body.id}/owner`, { ownerId: ids.handler });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/handled the conversation/);
    const ok = await call(sup, "POST", `/cases/${opened.body.id}/owner`, { ownerId: ids.specialist });
    expect(ok.status).toBe(200);
    expect(ok.body.ownerId).toBe(ids.specialist);
    socket.disconnect();
  });

  it("runs the status machine, an approved extension, the letters and closing, each on the timeline and in the audit log", async () => {
    expect((await call(sup, "POST", `/cases/${caseId}/owner`, { ownerId: ids.specialist })).status).toBe(200);
    const taxonomy = (await call(specialist, "GET", "/case-taxonomy")).body.items as Json[];
    const category = taxonomy.find((t) => t.kind === "category" && t.code === "service_quality")!;
    const product = taxonomy.find((t) => t.kind === "product" && t.code === "current_account")!;
    expect(
      (await call(specialist, "PATCH", `/cases/${caseId}`, { categoryId: category.id, productId: product.id, severity: "high" })).status,
    ).toBe(200);

    // Acknowledgement letter in Chinese, through the customer's conversation.
    const ack = await call(specialist, "POST", `/cases/${caseId}/letters`, { kind: "acknowledgement" });
    expect(ack.status).toBe(200);
    expect(ack.body.letter).toContain(reference);
    expect(ack.body.letter).toMatch(/尊敬的/);
    expect(ack.body.case.status).toBe("acknowledged");
    const sent = await app.db.query<Json>("SELECT content, sender_type FROM messages WHERE id = $1", [ack.body.messageId]);
    expect(sent.rows[0]).toMatchObject({ sender_type: "agent" });

    expect((await call(specialist, "POST", `/cases/${caseId}/status`, { status: "closed" })).status).toBe(409);
    expect((await call(specialist, "POST", `/cases/${caseId}/status`, { status: "final_response" })).status).toBe(400);
    expect(
      (await call(specialist, "POST", `/cases/${caseId}/status`, { status: "investigating", note: "Pulled the branch CCTV" })).status,
    ).toBe(200);

    // An extension needs a supervisor's approval.
    const denied = await call(specialist, "POST", `/cases/${caseId}/extensions`, { reason: "Waiting for the branch's recordings" });
    expect(denied.status).toBe(403);
    const before = (await call(specialist, "GET", `/cases/${caseId}`)).body;
    const extended = await call(sup, "POST", `/cases/${caseId}/extensions`, {
      reason: "Waiting for the branch's recordings",
      requestedById: ids.specialist,
    });
    expect(extended.status).toBe(200);
    expect(extended.body.extensions).toBe(1);
    expect(new Date(extended.body.clocks.finalResponse.dueAt).getTime()).toBeGreaterThan(
      new Date(before.clocks.finalResponse.dueAt).getTime(),
    );

    expect(
      (
        await call(specialist, "PATCH", `/cases/${caseId}`, {
          rootCause: "Teller not trained on the complaints procedure",
          remedy: { refundAmount: 50, currency: "CNY", apology: true },
        })
      ).status,
    ).toBe(200);
    expect((await call(specialist, "POST", `/cases/${caseId}/letters`, { kind: "final_response" })).status).toBe(400);
    const final = await call(specialist, "POST", `/cases/${caseId}/letters`, {
      kind: "final_response",
      decision: "经调查，您的投诉成立。",
    });
    expect(final.status).toBe(200);
    expect(final.body.letter).toMatch(/经调查，您的投诉成立。/);
    expect(final.body.letter).toMatch(/¥50\.00/);
    expect(final.body.letter).toMatch(/12378/);
    expect(final.body.case).toMatchObject({ status: "final_response", clocks: { finalResponse: { state: "met" } } });
    expect((await call(specialist, "POST", `/cases/${caseId}/status`, { status: "closed" })).status).toBe(200);

    const detail = (await call(specialist, "GET", `/cases/${caseId}`)).body;
    expect(detail.timeline.map((e: Json) => e.kind)).toEqual([
      "received",
      "owner_changed",
      "classified",
      "letter_sent",
      "status_changed",
      "deadline_extended",
      "outcome_recorded",
      "letter_sent",
      "status_changed",
    ]);
    const ext = detail.timeline.find((e: Json) => e.kind === "deadline_extended");
    expect(ext).toMatchObject({
      actor: { type: "agent", id: ids.sup, name: "Grace Supervisor" },
      data: { approvedBy: ids.sup, requestedBy: ids.specialist },
    });
    const audit = await app.db.query<{ action: string }>("SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id", [caseId]);
    expect(audit.rows.map((r) => r.action)).toContain("case.deadline_extended");
    expect(audit.rows).toHaveLength(detail.timeline.length);
    await waitFor(() => received.some((e) => e.event === "case.status_changed" && e.data.to === "closed" && e.data.case.id === caseId));
  });

  it("refuses an extension the jurisdiction does not allow (UK: 8 weeks, no extension)", async () => {
    await app.db.query(
      `UPDATE inboxes SET settings = settings || '{"complaints": {"jurisdiction": "uk"}, "timezone": "Europe/London"}'::jsonb WHERE slug = 'website'`,
    );
    try {
      const { socket, conversationId: cid } = await complain("I want to make a formal complaint about the fee you charged");
      const c = (await call(sup, "GET", `/cases?conversationId=${cid}`)).body.items[0];
      expect(c).toMatchObject({
        jurisdiction: "uk",
        timezone: "Europe/London",
        clocks: { finalResponse: { limit: { days: 56, unit: "calendar" } } },
      });
      const r = await call(sup, "POST", `/cases/${c.id}/extensions`, { reason: "Complex case, need more time" });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/allows no extension/);
      socket.disconnect();
    } finally {
      await app.db.query(`UPDATE inboxes SET settings = settings - 'complaints' WHERE slug = 'website'`);
    }
  });

  it("records a near-breach and a breach once each, on the timeline, in the console and by webhook", async () => {
    const { socket, conversationId: cid } = await complain("我要投诉，乱扣费还不给解释");
    const c = (
      await app.db.query<Json>("SELECT c.* FROM cases c JOIN case_conversations cc ON cc.case_id = c.id WHERE cc.conversation_id = $1", [
        cid,
      ])
    ).rows[0]!;
    await call(sup, "POST", `/cases/${c.id}/owner`, { ownerId: ids.specialist });
    const console = unpackAgentEvents(
      connect(`${app.url}/agent`, {
        extraHeaders: { cookie: specialist.cookie },
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
      }),
    );
    await new Promise<void>((r) => console.once("connect", () => r()));
    const received_at = new Date(c.received_at).getTime();
    const due = new Date(c.due_at).getTime();
    const nearAlert = nextEvent<Json>(console, "case_alert", (a) => a.caseId === c.id && a.level === "near_breach");
    const near = new Date(received_at + (due - received_at) * 0.85);
    expect(await checkCaseClocks(app.ctx, near)).toContainEqual({ reference: c.reference, clock: "final_response", level: "near_breach" });
    expect((await checkCaseClocks(app.ctx, near)).filter((a) => a.reference === c.reference)).toEqual([]);
    expect(await nearAlert).toMatchObject({ reference: c.reference, clock: "final_response" });
    const after = new Date(due + 1000);
    const breach = await checkCaseClocks(app.ctx, after);
    expect(breach.filter((a) => a.reference === c.reference)).toEqual(
      expect.arrayContaining([{ reference: c.reference, clock: "final_response", level: "breach" }]),
    );
    expect((await checkCaseClocks(app.ctx, after)).filter((a) => a.reference === c.reference)).toEqual([]);
    const rows = await app.db.query<Json>(
      "SELECT clock, level FROM case_alerts WHERE case_id = $1 AND clock = 'final_response' ORDER BY created_at",
      [c.id],
    );
    expect(rows.rows).toEqual([
      { clock: "final_response", level: "near_breach" },
      { clock: "final_response", level: "breach" },
    ]);
    await app.ctx.queue.drain();
    await waitFor(
      () =>
        received.filter((e) => e.event === "case.clock_alert" && e.data.case.id === c.id && e.data.clock === "final_response").length === 2,
    );
    const timeline = (await call(specialist, "GET", `/cases/${c.id}`)).body.timeline as Json[];
    expect(timeline.filter((e) => e.kind === "clock_alert" && e.data.clock === "final_response").map((e) => e.data.level)).toEqual([
      "near_breach",
      "breach",
    ]);
    console.disconnect();
    socket.disconnect();
  });

  it("lets admins edit the taxonomy (audited) and no one else", async () => {
    const body = { kind: "category", code: "accessibility", nameEn: "Accessibility", nameZh: "无障碍服务" };
    expect((await call(specialist, "POST", "/case-taxonomy", body)).status).toBe(403);
    const created = await call(sup, "POST", "/case-taxonomy", body);
    expect(created.status).toBe(201);
    expect((await call(sup, "POST", "/case-taxonomy", body)).status).toBe(409);
    const retired = await call(sup, "PATCH", `/case-taxonomy/${created.body.id}`, { active: false });
    expect(retired.body.active).toBe(false);
    const listed = (await call(specialist, "GET", "/case-taxonomy")).body.items as Json[];
    expect(listed.some((t) => t.code === "accessibility")).toBe(false);
    const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action LIKE 'case_taxonomy.%' AND target_id = $1", [created.body.id]);
    expect(audit.rowCount).toBe(2);
  });
});

async function waitFor(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await app.ctx.queue.drain();
    await new Promise((r) => setTimeout(r, 50));
  }
}
