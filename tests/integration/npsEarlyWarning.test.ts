/**
 * NPS and early warning end to end on a real server (embedded database, or PostgreSQL
 * and Redis when configured): a customer answers the survey in the widget; on e-mail
 * the question goes out through a real SMTP server after resolution and the customer's
 * "8 - ..." reply is the answer (only while it is pending); the report and the admins'
 * CSV count it. An admin's threshold on SLA breaches raises one alert per crossing, to
 * the admins' consoles and by webhook, with the conversations behind it, and recovers.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import {
  callApi,
  connectWidget,
  emitAck,
  nextEvent,
  signInAgent,
  startTestApp,
  unpackAgentEvents,
  type TestApp,
} from "../helpers/testApp.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createWebhook } from "../../server/webhooks/commands/createWebhook.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { checkEarlyWarnings } from "../../server/earlyWarning/checkEarlyWarnings.ts";
import { ALERT_SELECT } from "../../server/earlyWarning/presentAlert.ts";
import { measure } from "../../server/earlyWarning/measure.ts";
import type { AlertRow, ThresholdRow } from "../../server/earlyWarning/types.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { receiveChannelMessage } from "../../server/commands/receiveChannelMessage.ts";
import type { InboxRow } from "../../server/models/inboxes.ts";
import { createChannelInbox, eventually, startRecorder, type Recorder } from "./channels/channelHelpers.ts";
import { rotateInboxApiKey } from "../../server/channels/commands/rotateInboxApiKey.ts";

type Session = { cookie: string; csrf: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: TestApp;
let smtp: SMTPServer;
let hooks: Recorder;
let admin: Session;
let agent: Session;
let emailInbox: InboxRow;
let adminSocket: Socket;
const mails: ParsedMail[] = [];
const EMAIL = { address: "help@bank.example", fromName: "Bank Help", inboundToken: "email-inbound-token-0123456789" };

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

const hookEvents = (event: string) =>
  hooks.requests
    .filter((r) => r.url === "/hook")
    .map((r) => JSON.parse(r.body) as Json)
    .filter((b) => b.event === event);
const resolve = (conversationId: string) => changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId, status: "resolved" });
const nps = async (conversationId: string) =>
  (await app.db.query<Json>("SELECT * FROM nps_responses WHERE conversation_id = $1", [conversationId])).rows[0];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        mails.push(await simpleParser(Buffer.concat(chunks).toString("utf8")));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  hooks = await startRecorder();
  app = await startTestApp({
    env: {
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      MAIL_FROM: "noreply@bank.example",
      // The recorder stands in for Twilio too (it answers 200 to the SMS send).
      TWILIO_API_BASE_URL: hooks.url,
      WECHAT_API_BASE_URL: hooks.url,
    },
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "lead@example.com",
    name: "Lena Lead",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "ann@example.com",
    name: "Ann Agent",
    role: "agent",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "lead@example.com", "correct-horse-battery");
  agent = await signInAgent(app, "ann@example.com", "correct-horse-battery");
  emailInbox = await createChannelInbox(app.ctx, "email", "email", EMAIL, { botEnabled: false, npsEnabled: true });
  await createWebhook(app.ctx, { actor: SYSTEM, url: `${hooks.url}/hook`, events: ["nps.created", "early_warning.alert_raised"] });
  adminSocket = unpackAgentEvents(
    connect(`${app.url}/agent`, { extraHeaders: { cookie: admin.cookie }, transports: ["websocket"], reconnection: false, forceNew: true }),
  );
  await new Promise<void>((r) => adminSocket.once("connect", () => r()));
});
afterAll(async () => {
  adminSocket?.disconnect();
  await app?.close();
  await hooks?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

describe("NPS in the widget", () => {
  it("is offered when the inbox asks, validated, stored once per conversation and contact, and announced by webhook", async () => {
    const off = await connectWidget(app);
    expect((off.session.inbox as Json).npsEnabled).toBe(false);
    off.socket.disconnect();
    const r = await call(admin, "GET", "/inboxes");
    const website = (r.body.items as Json[]).find((i) => i.slug === "website")!;
    const on = await call(admin, "PATCH", `/admin/inboxes/${website.id}`, { settings: { npsEnabled: true } });
    expect(on.status).toBe(200);
    expect(on.body.settings.npsEnabled).toBe(true);

    const { socket, session } = await connectWidget(app);
    expect((session.inbox as Json).npsEnabled).toBe(true);
    const sent = await emitAck<Json>(socket, "message:send", { clientId: "nps-1", content: "How do I order a new card?" });
    const conversationId = sent.message.conversationId as string;
    const early = await emitAck<Json>(socket, "nps", { conversationId, score: 9 });
    expect(early).toMatchObject({ ok: false, error: { code: "conflict" } });

    await resolve(conversationId);
    await app.ctx.queue.drain();
    // The website asks in the widget: the survey is pending, no question was posted as a message.
    expect(await nps(conversationId)).toMatchObject({ score: null, question_message_id: null });

    expect(await emitAck<Json>(socket, "nps", { conversationId, score: 11 })).toMatchObject({
      ok: false,
      error: { code: "validation_error" },
    });
    expect(await emitAck<Json>(socket, "nps", { conversationId, score: 9, comment: "  Quick answer  " })).toEqual({ ok: true });
    expect(await emitAck<Json>(socket, "nps", { conversationId, score: 9, comment: "Quick answer" })).toEqual({ ok: true });
    const row = await nps(conversationId);
    const owner = (await app.db.query<Json>("SELECT contact_id FROM conversations WHERE id = $1", [conversationId])).rows[0]!;
    expect(row).toMatchObject({ score: 9, comment: "Quick answer", contact_id: owner.contact_id });
    // The same answer twice is one event.
    await eventually(async () => (hookEvents("nps.created").length ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    const events = hookEvents("nps.created").filter((e) => e.data.conversation.id === conversationId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ score: 9, comment: "Quick answer" });
    socket.disconnect();
  });
});

describe("NPS by e-mail", () => {
  const post = (lines: string[]) =>
    fetch(`${app.url}/webhooks/email`, {
      method: "POST",
      headers: { authorization: `Bearer ${EMAIL.inboundToken}`, "content-type": "message/rfc822" },
      body: [...lines, ""].join("\r\n"),
    });
  const mime = (id: string, body: string, inReplyTo?: string) => [
    "From: Wang Fang <wang.fang@example.com>",
    `To: ${EMAIL.address}`,
    "Subject: Re: Card limit",
    `Message-ID: <${id}>`,
    ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
  ];

  it("sends the question after resolution and reads a reply with a number as the answer, only while pending", async () => {
    const first = await post(mime("limit.1@example.com", "Can you raise my card limit?"));
    expect(first.status).toBe(200);
    const { conversationId } = (await first.json()) as { conversationId: string };
    await resolve(conversationId);
    await app.ctx.queue.drain();
    const survey = await eventually(async () => (mails.length ? mails[0] : undefined), 15_000, "the survey e-mail");
    expect(survey.text).toContain("How likely are you to recommend us");
    expect(survey.to && "value" in survey.to ? survey.to.value[0]?.address : undefined).toBe("wang.fang@example.com");
    const asked = await nps(conversationId);
    expect(asked).toMatchObject({ score: null });
    expect(asked!.question_message_id).toBeTruthy();

    // Not a score: an ordinary message, the survey stays pending (it re-opens the conversation, as any message does).
    // Here the customer answers the survey straight away instead.
    const ourId = String(survey.messageId).replace(/^<|>$/g, "");
    const answer = await post(
      mime("nps.2@example.com", "8 - friendly, but it took two days\n\nOn Mon, Bank Help wrote:\n> How likely", ourId),
    );
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as Json).conversationId).toBe(conversationId);
    expect(await nps(conversationId)).toMatchObject({ score: 8, comment: "friendly, but it took two days" });
    const conv = (await app.db.query<Json>("SELECT status FROM conversations WHERE id = $1", [conversationId])).rows[0]!;
    expect(conv.status).toBe("resolved");
    const line = (
      await app.db.query<Json>("SELECT * FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'nps_answer'", [
        conversationId,
      ])
    ).rows;
    expect(line).toHaveLength(1);

    // The same delivery again stores nothing new.
    const again = await post(mime("nps.2@example.com", "8 - friendly, but it took two days", ourId));
    expect(((await again.json()) as Json).duplicate).toBe(true);

    // Answered: a later number is an ordinary message (it re-opens the conversation), not a new score.
    const later = await post(mime("nps.3@example.com", "10", ourId));
    expect(later.status).toBe(200);
    expect((await nps(conversationId))!.score).toBe(8);
    const reopened = (await app.db.query<Json>("SELECT status FROM conversations WHERE id = $1", [conversationId])).rows[0]!;
    expect(reopened.status).not.toBe("resolved");
  });

  it("on SMS, the survey text goes out and a number back is the answer; the same customer's next message opens a new conversation", async () => {
    const sms = await createChannelInbox(
      app.ctx,
      "sms",
      "sms-nps",
      { accountSid: "AC" + "0f".repeat(16), authToken: "twilio-auth-token-0123456789", from: "+15005550006" },
      { botEnabled: false, npsEnabled: true },
    );
    const phone = "+8613800000001";
    const first = await receiveChannelMessage(app.ctx, {
      inbox: sms,
      sourceId: phone,
      providerMessageId: "SM1",
      content: "Is my card blocked?",
    });
    await resolve(first.conversation.id);
    await app.ctx.queue.drain();
    const asked = await eventually(async () => {
      const r = await nps(first.conversation.id);
      return r?.question_message_id ? r : undefined;
    });
    const sent = await eventually(async () =>
      hooks.requests.find((r) => r.url.includes("/Messages.json") && decodeURIComponent(r.body).includes("recommend")),
    );
    expect(decodeURIComponent(sent.body.replace(/\+/g, " "))).toContain(phone);
    expect(asked.score).toBeNull();

    // The answer lands in the surveyed conversation, which stays resolved (a chat channel would otherwise start a new one).
    const reply = await receiveChannelMessage(app.ctx, { inbox: sms, sourceId: phone, providerMessageId: "SM2", content: "10" });
    expect(reply.conversation.id).toBe(first.conversation.id);
    expect(reply.conversation.status).toBe("resolved");
    expect(await nps(first.conversation.id)).toMatchObject({ score: 10, comment: null });
    const next = await receiveChannelMessage(app.ctx, {
      inbox: sms,
      sourceId: phone,
      providerMessageId: "SM3",
      content: "Another question",
    });
    expect(next.conversation.id).not.toBe(first.conversation.id);
  });

  it("reports the score, counts, weeks and reasons; the CSV is for admins and on the access log", async () => {
    const r = await call(admin, "GET", "/reports/nps");
    expect(r.status).toBe(200);
    // 9 and 10 (promoters) and 8 (passive): 66.7 − 0.
    expect(r.body.overall).toEqual({ responses: 3, promoters: 2, passives: 1, detractors: 0, score: 66.7 });
    expect(r.body.byWeek).toHaveLength(1);
    expect((r.body.byInbox as Json[]).map((i) => i.responses).sort()).toEqual([1, 1, 1]);
    expect((r.body.comments as Json[]).map((c) => c.comment).sort()).toEqual(["Quick answer", "friendly, but it took two days"]);
    const byEmail = await call(admin, "GET", `/reports/nps?inboxId=${emailInbox.id}`);
    expect(byEmail.body.overall).toMatchObject({ responses: 1, passives: 1, score: 0 });
    // An agent's report covers the conversations they may read: the website's go to a team Ann is not in.
    const agents = await call(agent, "GET", "/reports/nps");
    expect(agents.status).toBe(200);
    expect(agents.body.overall.responses).toBeLessThan(3);

    expect((await call(agent, "GET", "/reports/nps.csv")).status).toBe(403);
    const csv = await call(admin, "GET", "/reports/nps.csv");
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toContain("conversation,answered_at,inbox,team,assignee,contact,score,band,comment");
    expect(lines).toHaveLength(4);
    expect(csv.text).toContain("passive");
    const logged = await app.db.query("SELECT 1 FROM access_log WHERE subject_type = 'export' AND subject_id = 'reports.nps'");
    expect(logged.rowCount).toBe(1);
  });
});

describe("NPS on WeChat", () => {
  it("on WeChat, the question goes out as a customer-service message and a number back is the answer; past the 48 hours nobody is asked", async () => {
    // The recorder stands in for WeChat: an access token, then errcode 0 ({}) for every send.
    hooks.respond = (r) =>
      r.url.startsWith("/cgi-bin/token")
        ? { status: 200, body: { access_token: "wechat-token", expires_in: 7200 } }
        : { status: 200, body: {} };
    const wechat = await createChannelInbox(
      app.ctx,
      "wechat",
      "wechat-nps",
      { appId: "wx1234567890abcdef", appSecret: "wechat-app-secret-01234", token: "wechattoken" },
      { botEnabled: false, npsEnabled: true },
    );
    const sends = (openid: string) =>
      hooks.requests
        .filter((r) => r.url.startsWith("/cgi-bin/message/custom/send"))
        .map((r) => JSON.parse(r.body) as Json)
        .filter((b) => b.touser === openid);
    const openid = "oNPS-customer-1";
    const first = await receiveChannelMessage(app.ctx, {
      inbox: wechat,
      sourceId: openid,
      providerMessageId: "wx-1",
      content: "我的卡被冻结了吗？",
    });
    await resolve(first.conversation.id);
    await app.ctx.queue.drain();
    const asked = await eventually(async () => {
      const r = await nps(first.conversation.id);
      return r?.question_message_id ? r : undefined;
    });
    expect(asked.score).toBeNull();
    // In the customer's language, as a text message to their openid.
    const question = await eventually(async () => sends(openid).find((b) => String(b.text?.content).includes("推荐")));
    expect(question).toMatchObject({ msgtype: "text" });
    expect(question.text.content).toContain("0（完全不可能）到 10");

    const reply = await receiveChannelMessage(app.ctx, {
      inbox: wechat,
      sourceId: openid,
      providerMessageId: "wx-2",
      content: "9分，回复很快",
    });
    expect(reply.conversation.id).toBe(first.conversation.id);
    expect(reply.conversation.status).toBe("resolved");
    expect(await nps(first.conversation.id)).toMatchObject({ score: 9, comment: "回复很快" });

    // Resolved more than 48 hours after the customer last wrote: WeChat would refuse the message, so no survey.
    const late = "oNPS-customer-2";
    const quiet = await receiveChannelMessage(app.ctx, {
      inbox: wechat,
      sourceId: late,
      providerMessageId: "wx-3",
      content: "How do I close my account?",
    });
    await app.db.query("UPDATE messages SET created_at = now() - interval '49 hours' WHERE conversation_id = $1", [quiet.conversation.id]);
    await resolve(quiet.conversation.id);
    await app.ctx.queue.drain();
    expect(await nps(quiet.conversation.id)).toBeUndefined();
    expect(sends(late).filter((b) => String(b.text?.content).includes("recommend"))).toEqual([]);
    // Within the window (47 hours), the same customer is asked.
    const again = await receiveChannelMessage(app.ctx, {
      inbox: wechat,
      sourceId: late,
      providerMessageId: "wx-4",
      content: "Thanks, done",
    });
    await app.db.query("UPDATE messages SET created_at = now() - interval '47 hours' WHERE conversation_id = $1", [again.conversation.id]);
    await resolve(again.conversation.id);
    await app.ctx.queue.drain();
    await eventually(async () => sends(late).find((b) => String(b.text?.content).includes("recommend")));
    expect((await nps(again.conversation.id))!.question_message_id).toBeTruthy();
  });
});

describe("NPS on the API channel", () => {
  it("the bank's app gets the question as an nps_survey message, and answers by a message or its own 0–10 picker", async () => {
    const inbox = await createChannelInbox(
      app.ctx,
      "api",
      "app-nps",
      { webhookUrl: `${hooks.url}/app`, webhookSecret: "app-webhook-secret-0123456789" },
      { botEnabled: false, npsEnabled: true },
    );
    const key = (await rotateInboxApiKey(app.ctx, { actor: SYSTEM, inbox: inbox.id })).apiKey;
    const post = async (path: string, body: unknown, bearer = key) => {
      const r = await fetch(`${app.url}/api/v1/channels/api${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Json };
    };
    const surveyOf = (conversationId: string) =>
      eventually(async () =>
        hooks.requests
          .filter((r) => r.url === "/app")
          .map((r) => JSON.parse(r.body) as Json)
          .find((b) => b.conversation.id === conversationId && b.message.attributes?.kind === "nps_survey"),
      );
    const ask = async (messageId: string, content: string) => {
      const sent = await post("/messages", { sourceId: "app-user-7", messageId, content });
      expect(sent.status).toBe(201);
      const conversationId = sent.body.conversation.id as string;
      await resolve(conversationId);
      await app.ctx.queue.drain();
      return { conversationId, survey: await surveyOf(conversationId) };
    };

    // By message: the question in the customer's language, and "9，…" back is the answer; the conversation stays resolved.
    const first = await ask("app-1", "我的转账限额怎么提高？");
    expect(first.survey.message.content).toContain("推荐");
    const reply = await post("/messages", { sourceId: "app-user-7", messageId: "app-2", content: "9，很快" });
    expect(reply.body.conversation).toMatchObject({ id: first.conversationId, status: "resolved" });
    expect(await nps(first.conversationId)).toMatchObject({ score: 9, comment: "很快" });

    // By the app's picker: validated, a second answer replaces the first, announced once per change.
    const second = await ask("app-3", "How do I raise my transfer limit?");
    expect(second.survey.message.content).toContain("recommend");
    const path = `/conversations/${second.conversationId}/nps`;
    expect((await post(path, { score: 11 })).status).toBe(400);
    expect((await post(path, { score: 3 }, "bdk_wrong")).status).toBe(401);
    expect((await post(path, { score: 3, comment: "slow" })).body).toMatchObject({ score: 3, comment: "slow" });
    expect((await post(path, { score: 6, comment: "better after a call" })).status).toBe(200);
    expect(await nps(second.conversationId)).toMatchObject({ score: 6, comment: "better after a call" });
    const announced = () => hookEvents("nps.created").filter((e) => e.data.conversation.id === second.conversationId);
    await eventually(async () => (announced().length === 2 ? true : undefined));
    expect((await post(path, { score: 6, comment: "better after a call" })).status).toBe(200);

    // Another inbox's conversation, or one never surveyed, is not answered this way.
    const elsewhere = (await app.db.query<{ id: string }>("SELECT id FROM conversations WHERE inbox_id <> $1 LIMIT 1", [inbox.id]))
      .rows[0]!;
    expect((await post(`/conversations/${elsewhere.id}/nps`, { score: 5 })).status).toBe(404);
    const unsurveyed = await post("/messages", { sourceId: "app-user-8", messageId: "app-4", content: "Hello" });
    expect((await post(`/conversations/${unsurveyed.body.conversation.id}/nps`, { score: 5 })).status).toBe(409);
    // The same answer again changed nothing and announced nothing.
    expect(announced()).toHaveLength(2);
  });
});

describe("Early warning", () => {
  it("validates and audits thresholds (admins only)", async () => {
    expect((await call(agent, "POST", "/early-warning/thresholds", { name: "x", metric: "sla_breaches", threshold: 1 })).status).toBe(403);
    const share = await call(admin, "POST", "/early-warning/thresholds", { name: "Mood", metric: "negative_share", threshold: 30 });
    expect(share.status).toBe(400);
    const created = await call(admin, "POST", "/early-warning/thresholds", {
      name: "Breaches this hour",
      metric: "sla_breaches",
      threshold: 3,
      windowMinutes: 60,
    });
    expect(created.status).toBe(201);
    const changed = await call(admin, "PATCH", `/early-warning/thresholds/${created.body.id}`, { threshold: 2 });
    expect(changed.body.threshold).toBe(2);
    const audit = await app.db.query<Json>("SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY id", [created.body.id]);
    expect(audit.rows.map((a) => a.action)).toEqual(["early_warning_threshold.create", "early_warning_threshold.update"]);
    expect(audit.rows[1]!.data).toEqual({ changes: { threshold: { from: 3, to: 2 } } });
  });

  it("raises one alert per crossing, to the admins' consoles and by webhook, with the conversations behind it", async () => {
    const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Late Reply') RETURNING id")).rows[0]!.id;
    const breach = async () => {
      const c = await createConversation(app.ctx, { inboxId: inbox, contactId: contact, status: "open" });
      // A breach as the SLA check records it (server/sla/checkSlaClocks.ts).
      await app.db.query("INSERT INTO sla_alerts (conversation_id, metric, level, due_at) VALUES ($1, 'first_response', 'breach', now())", [
        c.id,
      ]);
      return c.id;
    };
    // The worker runs the same check every minute (earlyWarningModule.ts), and may run it
    // between a breach and the test's own call: an alert is once per crossing whoever
    // records it, so what is asserted is the alerts on record, not which call raised them.
    const openAlerts = async () =>
      (await app.db.query<{ id: string }>("SELECT id FROM early_warning_alerts WHERE recovered_at IS NULL ORDER BY raised_at")).rows.map(
        (a) => a.id,
      );
    const ids = [await breach()];
    expect((await checkEarlyWarnings(app.ctx)).raised).toHaveLength(0);
    expect(await openAlerts()).toEqual([]);

    const live = nextEvent<Json>(adminSocket, "early_warning", (a) => a.metric === "sla_breaches" && !a.recoveredAt);
    ids.push(await breach());
    await checkEarlyWarnings(app.ctx);
    const alert = await live;
    expect(alert).toMatchObject({ thresholdName: "Breaches this hour", value: 2, threshold: 2 });
    expect([...alert.conversationIds].sort()).toEqual([...ids].sort());
    expect(await openAlerts()).toEqual([alert.id]);

    // Still over: no second alert.
    ids.push(await breach());
    expect((await checkEarlyWarnings(app.ctx)).raised).toHaveLength(0);
    expect(await openAlerts()).toEqual([alert.id]);

    const hook = await eventually(async () => hookEvents("early_warning.alert_raised")[0], 15_000, "the alert webhook");
    expect(hook.data.alert).toMatchObject({ id: alert.id, metric: "sla_breaches", value: 2 });

    const open = await call(admin, "GET", "/early-warning/alerts");
    expect((open.body.items as Json[]).map((a) => a.id)).toEqual([alert.id]);
    const detail = await call(admin, "GET", `/early-warning/alerts/${alert.id}`);
    expect((detail.body.conversations as Json[]).map((c) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
    expect((await call(agent, "GET", `/early-warning/alerts/${alert.id}`)).status).toBe(403);

    // The breaches leave the window: the alert recovers; the next crossing raises a new one.
    await app.db.query("UPDATE sla_alerts SET created_at = now() - interval '2 hours'");
    await checkEarlyWarnings(app.ctx);
    expect(await openAlerts()).toEqual([]);
    const closed = await app.db.query<{ recovered_at: Date | null }>("SELECT recovered_at FROM early_warning_alerts WHERE id = $1", [
      alert.id,
    ]);
    expect(closed.rows[0]!.recovered_at).toBeTruthy();
    await breach();
    await breach();
    await checkEarlyWarnings(app.ctx);
    const reopened = await openAlerts();
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).not.toBe(alert.id);
    await eventually(async () => (hookEvents("early_warning.alert_raised").length === 2 ? true : undefined), 15_000, "the second webhook");

    const ack = await call(admin, "POST", `/early-warning/alerts/${reopened[0]!}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBeTruthy();
  });

  it("counts a breach recorded in the same millisecond as the check (the database keeps microseconds)", async () => {
    const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Same Millisecond') RETURNING id")).rows[0]!
      .id;
    const c = await createConversation(app.ctx, { inboxId: inbox, contactId: contact, status: "open" });
    // Years back, out of every other test's window.
    await app.db.query(
      "INSERT INTO sla_alerts (conversation_id, metric, level, due_at, created_at) VALUES ($1, 'first_response', 'breach', now(), '2021-03-04 05:06:07.123456+00')",
      [c.id],
    );
    const threshold = { metric: "sla_breaches", window_minutes: 60, min_conversations: 0 } as ThresholdRow;
    const at = new Date("2021-03-04T05:06:07.123Z");
    expect(await measure(app.db, threshold, at)).toMatchObject([{ value: 1, conversationIds: [c.id] }]);
    // And not before it was recorded, nor after it left the window.
    expect(await measure(app.db, threshold, new Date(at.getTime() - 1))).toEqual([]);
    expect(await measure(app.db, threshold, new Date(at.getTime() + 60 * 60_000))).toEqual([]);
  });

  it("measures complaints per category, the share of negative conversations and a repeated unanswered question", async () => {
    // Only these thresholds: the SLA one is switched off (which closes its alerts).
    const list = await call(admin, "GET", "/early-warning/thresholds");
    for (const t of list.body.items as Json[]) await call(admin, "PATCH", `/early-warning/thresholds/${t.id}`, { active: false });
    expect((await call(admin, "GET", "/early-warning/alerts")).body.items).toEqual([]);
    const add = async (body: Json) => (await call(admin, "POST", "/early-warning/thresholds", body)).body.id as string;
    const complaints = await add({ name: "Fee complaints", metric: "complaints_per_category", threshold: 2, windowMinutes: 1440 });
    const mood = await add({ name: "Upset customers", metric: "negative_share", threshold: 0.5, windowMinutes: 60, minConversations: 3 });
    const question = await add({ name: "Same question", metric: "unanswered_question", threshold: 3, windowMinutes: 60 });

    const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const fees = (await app.db.query<{ id: string }>("SELECT id FROM case_taxonomy WHERE kind = 'category' AND code = 'fees_charges'"))
      .rows[0]!.id;
    const fraud = (await app.db.query<{ id: string }>("SELECT id FROM case_taxonomy WHERE kind = 'category' AND code = 'fraud_security'"))
      .rows[0]!.id;
    const conversation = async (name: string) => {
      const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
      return (await createConversation(app.ctx, { inboxId: inbox, contactId: contact, status: "open" })).id;
    };
    const complaint = async (categoryId: string) => {
      const c = await conversation("Complainant");
      await openCase(app.ctx, { actor: SYSTEM, conversationId: c, summary: "Charged twice", source: "agent", categoryId, language: "en" });
      return c;
    };
    // Two fee complaints and one about fraud: only the fee category crosses 2.
    const feeConversations = [await complaint(fees), await complaint(fees)];
    const calm = await complaint(fraud);
    // The same question declined three times, in different conversations and wording.
    const declined = async (text: string) => {
      const c = await conversation("Asker");
      const q = await postMessage(app.ctx, { conversationId: c, messageType: "incoming", senderType: "contact", content: text });
      await postMessage(app.ctx, {
        conversationId: c,
        messageType: "outgoing",
        senderType: "bot",
        content: "Sorry, I can't help with that.",
        contentAttributes: { declined: true, replyTo: q.message.id },
      });
      return c;
    };
    const asked = [
      await declined("Can I pay my rent with crypto?"),
      await declined("can i pay my rent with crypto"),
      await declined("Can I pay my rent with crypto??"),
    ];
    await app.ctx.queue.drain();
    // Mood over the last hour: these six conversations only (the earlier tests' went quiet), five of them negative.
    const upset = [...feeConversations, ...asked];
    await app.db.query("UPDATE conversations SET last_activity_at = now() - interval '2 hours' WHERE NOT (id = ANY($1::uuid[]))", [
      [...upset, calm],
    ]);
    await app.db.query("UPDATE conversations SET sentiment_label = CASE WHEN id = ANY($1::uuid[]) THEN 'negative' ELSE 'neutral' END", [
      upset,
    ]);
    await checkEarlyWarnings(app.ctx);
    // Read from the record, not from the call: the worker's minute check may have raised some (see above).
    const raised = (await app.db.query<AlertRow>(`${ALERT_SELECT} WHERE a.recovered_at IS NULL`)).rows;
    const by = (id: string) => raised.filter((a) => a.threshold_id === id);
    expect(by(complaints).map((a) => [a.label, Number(a.value)])).toEqual([["Fees, charges and interest", 2]]);
    expect([...by(complaints)[0]!.conversation_ids].sort()).toEqual([...feeConversations].sort());
    expect(by(question)).toHaveLength(1);
    expect(by(question)[0]!.label.toLowerCase()).toContain("pay my rent with crypto");
    expect([...by(question)[0]!.conversation_ids].sort()).toEqual([...asked].sort());
    const share = by(mood)[0]!;
    expect(Number(share.value)).toBeCloseTo(5 / 6, 5);
    expect([...share.conversation_ids].sort()).toEqual([...upset].sort());
    // Nothing new on the next run.
    expect((await checkEarlyWarnings(app.ctx)).raised).toEqual([]);
  });

  it("an inbox's own threshold counts that inbox and replaces the organisation's there; its alert names the inbox", async () => {
    const list = await call(admin, "GET", "/early-warning/thresholds");
    for (const t of list.body.items as Json[]) await call(admin, "PATCH", `/early-warning/thresholds/${t.id}`, { active: false });
    const website = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const wechat = (
      await app.db.query<{ id: string }>(
        "INSERT INTO inboxes (slug, name, channel, identity_secret) VALUES ('wechat-ew', 'WeChat', 'wechat', 'x') RETURNING id",
      )
    ).rows[0]!.id;
    // A category the other tests left alone, so only these complaints count.
    const category = (await app.db.query<{ id: string }>("SELECT id FROM case_taxonomy WHERE kind = 'category' AND code = 'privacy'"))
      .rows[0]!.id;
    const complaint = async (inboxId: string) => {
      const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Privacy') RETURNING id")).rows[0]!.id;
      const c = await createConversation(app.ctx, { inboxId, contactId: contact, status: "open" });
      await openCase(app.ctx, {
        actor: SYSTEM,
        conversationId: c.id,
        summary: "My data was shared",
        source: "agent",
        categoryId: category,
        language: "en",
      });
      return c.id;
    };
    const add = (body: Json) => call(admin, "POST", "/early-warning/thresholds", body);
    expect((await add({ name: "x", metric: "sla_breaches", threshold: 1, inboxId: crypto.randomUUID() })).status).toBe(400);
    const org = (await add({ name: "Complaints (bank)", metric: "complaints_per_category", threshold: 2 })).body;
    expect(org).toMatchObject({ inboxId: null, inboxName: null });
    const own = await add({ name: "Complaints (WeChat)", metric: "complaints_per_category", threshold: 3, inboxId: wechat });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ inboxId: wechat, inboxName: "WeChat" });
    // The inbox is fixed once made, as the metric.
    expect((await call(admin, "PATCH", `/early-warning/thresholds/${own.body.id}`, { inboxId: website })).status).toBe(400);
    const audit = await app.db.query<Json>(
      "SELECT data FROM audit_log WHERE action = 'early_warning_threshold.create' AND target_id = $1",
      [own.body.id],
    );
    expect(audit.rows[0]!.data).toMatchObject({ inboxId: wechat, threshold: 3 });

    // The privacy category's alerts (the earlier test's fee complaints are still in the bank's day).
    const openOf = async (thresholdId: string) =>
      (
        await app.db.query<AlertRow>(`${ALERT_SELECT} WHERE a.threshold_id = $1 AND a.subject = 'privacy' AND a.recovered_at IS NULL`, [
          thresholdId,
        ])
      ).rows;
    // Two on WeChat, one on the website: the bank's threshold (2) counts the website only (1), WeChat's (3) is not reached.
    const onWechat = [await complaint(wechat), await complaint(wechat)];
    const onWebsite = await complaint(website);
    await checkEarlyWarnings(app.ctx);
    expect(await openOf(org.id)).toEqual([]);
    expect(await openOf(own.body.id)).toEqual([]);

    // A third on WeChat crosses WeChat's own; the alert names the inbox, in the API and the webhook.
    onWechat.push(await complaint(wechat));
    await checkEarlyWarnings(app.ctx);
    const [alert] = await openOf(own.body.id);
    expect(alert).toMatchObject({ inbox_id: wechat, inbox_name: "WeChat", label: "Personal information and privacy" });
    expect([...alert!.conversation_ids].sort()).toEqual([...onWechat].sort());
    expect(await openOf(org.id)).toEqual([]);
    const listed = (await call(admin, "GET", "/early-warning/alerts")).body.items as Json[];
    expect(listed.find((a) => a.id === alert!.id)).toMatchObject({
      inboxId: wechat,
      inboxName: "WeChat",
      thresholdName: "Complaints (WeChat)",
    });
    const hook = await eventually(
      async () => hookEvents("early_warning.alert_raised").find((e) => e.data.alert.id === alert!.id),
      15_000,
      "the inbox alert's webhook",
    );
    expect(hook.data.alert).toMatchObject({ inboxId: wechat, inboxName: "WeChat" });

    // WeChat's own switched off: it falls back to the bank's threshold, which now counts all four.
    await call(admin, "PATCH", `/early-warning/thresholds/${own.body.id}`, { active: false });
    await checkEarlyWarnings(app.ctx);
    const [bankAlert] = await openOf(org.id);
    expect(bankAlert).toMatchObject({ inbox_id: null, inbox_name: null });
    expect(Number(bankAlert!.value)).toBe(4);
    expect([...bankAlert!.conversation_ids].sort()).toEqual([...onWechat, onWebsite].sort());

    // The other metrics count in one inbox, or leave the overridden ones out, alike.
    const breached = onWechat[0]!;
    await app.db.query("INSERT INTO sla_alerts (conversation_id, metric, level, due_at) VALUES ($1, 'first_response', 'breach', now())", [
      breached,
    ]);
    const sla = { metric: "sla_breaches", window_minutes: 60, min_conversations: 1 } as const;
    expect(await measure(app.db, { ...sla, inbox_id: wechat }, new Date())).toMatchObject([{ value: 1, conversationIds: [breached] }]);
    expect((await measure(app.db, { ...sla, inbox_id: null }, new Date()))!.flatMap((m) => m.conversationIds)).toContain(breached);
    expect((await measure(app.db, { ...sla, inbox_id: null }, new Date(), [wechat]))!.flatMap((m) => m.conversationIds)).not.toContain(
      breached,
    );
    const mood = { metric: "negative_share", window_minutes: 60, min_conversations: 1 } as const;
    await app.db.query(
      "UPDATE conversations SET sentiment_label = CASE WHEN id = $1 THEN 'negative' ELSE 'neutral' END WHERE id = ANY($2::uuid[])",
      [breached, onWechat],
    );
    expect(await measure(app.db, { ...mood, inbox_id: wechat }, new Date())).toMatchObject([{ value: 1 / 3, conversationIds: [breached] }]);
    const question = { metric: "unanswered_question", window_minutes: 60, min_conversations: 1 } as const;
    expect(await measure(app.db, { ...question, inbox_id: wechat }, new Date())).toEqual([]);
  });
});
