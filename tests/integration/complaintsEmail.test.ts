/**
 * The complaints e-mail address through the real inbound e-mail path (POST
 * /webhooks/email with a raw MIME message, as the mail relay posts it): mail to the
 * address set on the inbox (To, Cc) opens a case (source `email`) linked to the new
 * conversation, once even when the relay posts it twice, and hands the conversation to
 * people; other mail to the inbox does not; the acknowledgement letter then goes to
 * the customer by e-mail (a local SMTP server) in the thread, as for any case.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { callApi, type Json, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import type { InboxRow } from "../../server/models/inboxes.ts";
import { createChannelInbox, eventually } from "./channels/channelHelpers.ts";

const EMAIL = { address: "help@bank.example", fromName: "Bank Help", inboundToken: "email-inbound-token-0123456789" };
const COMPLAINTS = "Complaints@Bank.example";
let app: TestApp;
let smtp: SMTPServer;
let inbox: InboxRow;
let admin: { cookie: string; csrf: string };
const mails: Array<{ envelopeTo: string[]; mail: ParsedMail }> = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail: await simpleParser(Buffer.concat(chunks)) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  app = await startTestApp({
    env: { SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, MAIL_FROM: "noreply@bank.example" },
  });
  // The bot is on: a complaint by e-mail must still reach people, not an automatic answer.
  inbox = await createChannelInbox(app.ctx, "email", "email", EMAIL, { botEnabled: true });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "boss@complaints.example",
    name: "Boss",
    role: "admin",
    password: "complaints-password",
  });
  admin = await signInAgent(app, "boss@complaints.example", "complaints-password");
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

const call = (method: string, path: string, body?: unknown) => callApi(app, admin, method, path, body);

const mime = (o: { id: string; subject: string; body: string; to?: string; cc?: string; from?: string; inReplyTo?: string }) =>
  [
    `From: ${o.from ?? "Wang Fang <wang.fang@example.com>"}`,
    `To: ${o.to ?? EMAIL.address}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: =?UTF-8?B?${Buffer.from(o.subject).toString("base64")}?=`,
    `Message-ID: <${o.id}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
    "Date: Tue, 24 Nov 2026 08:00:00 +0800",
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from(o.body).toString("base64"),
    "",
  ].join("\r\n");

const post = (body: string) =>
  fetch(`${app.url}/webhooks/email`, {
    method: "POST",
    headers: { "content-type": "message/rfc822", authorization: `Bearer ${EMAIL.inboundToken}` },
    body,
  });

const casesOf = async (conversationId: string) =>
  (
    await app.db.query<Json>("SELECT c.* FROM cases c JOIN case_conversations cc ON cc.case_id = c.id WHERE cc.conversation_id = $1", [
      conversationId,
    ])
  ).rows;

describe("the complaints e-mail address", () => {
  it("is an inbox setting an admin sets, checked as an e-mail address", async () => {
    const bad = await call("PATCH", `/admin/inboxes/${inbox.id}`, {
      settings: { complaints: { jurisdiction: "cn", address: "not an address" } },
    });
    expect(bad.status).toBe(400);
    const ok = await call("PATCH", `/admin/inboxes/${inbox.id}`, { settings: { complaints: { jurisdiction: "cn", address: COMPLAINTS } } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.complaints).toEqual({ jurisdiction: "cn", address: COMPLAINTS });
  });

  it("opens a case from an e-mail to it, once even when the relay posts it twice, and hands the conversation to people", async () => {
    const mail = mime({
      id: "complaint.1@example.com",
      to: "complaints@bank.example",
      subject: "投诉：信用卡年费重复扣收",
      body: "你好，我的信用卡年费本月被扣了两次，请尽快处理并退款。",
    });
    const first = await post(mail);
    expect(first.status).toBe(200);
    const a = (await first.json()) as Json;
    expect(a.caseReference).toMatch(/^CR-\d{4}-\d{6}$/);
    const again = (await (await post(mail)).json()) as Json;
    expect(again).toMatchObject({ duplicate: true, conversationId: a.conversationId, caseReference: a.caseReference });

    const cases = await casesOf(a.conversationId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ reference: a.caseReference, source: "email", status: "received", language: "zh", jurisdiction: "cn" });
    expect(cases[0]!.summary).toContain("信用卡年费重复扣收");
    expect(cases[0]!.acknowledge_due_at).not.toBeNull();
    const conv = (await app.db.query<Json>("SELECT status, handoff_reason, priority FROM conversations WHERE id = $1", [a.conversationId]))
      .rows[0];
    // With people from the start (the bot never had it), at high priority.
    expect(conv).toEqual({ status: "open", handoff_reason: null, priority: "high" });
    // The assistant leaves a complaint to people: no bot answer went out.
    await app.ctx.queue.drain();
    const bot = await app.db.query(
      "SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_type = 'bot' AND message_type = 'outgoing'",
      [a.conversationId],
    );
    expect(bot.rowCount).toBe(0);
    const timeline = await call("GET", `/cases/${a.caseReference}`);
    expect(timeline.body.timeline[0]).toMatchObject({ kind: "received" });
    expect(timeline.body.conversations.map((c: Json) => c.id)).toEqual([a.conversationId]);
  });

  it("sends the acknowledgement by e-mail in the complaint's thread, as for any case", async () => {
    const ref = (
      await app.db.query<{ reference: string }>("SELECT reference FROM cases WHERE source = 'email' ORDER BY created_at LIMIT 1")
    ).rows[0]!.reference;
    mails.length = 0;
    const sent = await call("POST", `/cases/${ref}/letters`, { kind: "acknowledgement" });
    expect(sent.status).toBe(200);
    expect(sent.body.case.status).toBe("acknowledged");
    const out = await eventually(async () => mails[0], 15_000, "the acknowledgement e-mail");
    expect(out.envelopeTo).toEqual(["wang.fang@example.com"]);
    expect(out.mail.inReplyTo).toBe("<complaint.1@example.com>");
    expect(out.mail.text).toContain(ref);
  });

  it("counts the address in Cc, and ignores mail that was not sent to it", async () => {
    const cc = (await (
      await post(
        mime({
          id: "complaint.2@example.com",
          cc: "complaints@bank.example",
          subject: "Formal complaint",
          body: "Your branch lost my documents.",
          from: "Li Lei <li.lei@example.com>",
        }),
      )
    ).json()) as Json;
    expect(cc.caseReference).toMatch(/^CR-/);
    expect(await casesOf(cc.conversationId)).toHaveLength(1);

    const plain = (await (
      await post(
        mime({
          id: "question.3@example.com",
          subject: "Opening hours",
          body: "When do you open on Saturday?",
          from: "Zhao <zhao@example.com>",
        }),
      )
    ).json()) as Json;
    expect(plain.caseReference).toBeUndefined();
    expect(await casesOf(plain.conversationId)).toHaveLength(0);

    // The customer then complains in that thread, copying the complaints address: the bot's conversation goes to people.
    const reply = (await (
      await post(
        mime({
          id: "complaint.4@example.com",
          cc: "complaints@bank.example",
          subject: "Re: Opening hours",
          body: "The branch was closed when you said it was open. I want to complain.",
          from: "Zhao <zhao@example.com>",
          inReplyTo: "question.3@example.com",
        }),
      )
    ).json()) as Json;
    expect(reply.conversationId).toBe(plain.conversationId);
    expect(reply.caseReference).toMatch(/^CR-/);
    const conv = (
      await app.db.query<Json>("SELECT status, handoff_reason, priority FROM conversations WHERE id = $1", [plain.conversationId])
    ).rows[0];
    expect(conv).toEqual({ status: "open", handoff_reason: "complaint", priority: "high" });
  });
});
