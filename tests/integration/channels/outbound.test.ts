import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { nextEvent, signInAgent, startTestApp, unpackAgentEvents, type TestApp } from "../../helpers/testApp.ts";
import { SYSTEM } from "../../../server/actor.ts";
import { createAgent } from "../../../server/commands/createAgent.ts";
import { metaSignature } from "../../../server/channels/signatures.ts";
import { verifyWebhookSignature } from "../../../server/webhooks/signature.ts";
import { receiveChannelMessage } from "../../../server/commands/receiveChannelMessage.ts";
import { postMessage } from "../../../server/commands/postMessage.ts";
import type { InboxRow } from "../../../server/models/inboxes.ts";
import type { MessageRow } from "../../../server/models/conversations.ts";
import { createChannelInbox, eventually, finalDelivery, startRecorder, type Recorder } from "./channelHelpers.ts";

/**
 * Replies leaving through each channel: every adapter against a local server that
 * checks the exact request (method, path, auth, body), e-mail against a real SMTP
 * server, and a provider answering 500 (retried with backoff, then marked failed).
 */
let app: TestApp;
let provider: Recorder;
let smtp: SMTPServer;
const mails: Array<{ envelopeTo: string[]; mail: ParsedMail; raw: string }> = [];
let agentId: string;

const TWILIO = { accountSid: "AC" + "0f".repeat(16), authToken: "twilio-auth-token-0123456789", from: "+15005550006" };
const WHATSAPP = {
  phoneNumberId: "106540352242922",
  accessToken: "wa-access-token-0123456789",
  appSecret: "meta-app-secret-0123456789",
  verifyToken: "verify-me-please",
};
const WECHAT = { appId: "wx1234567890abcdef", appSecret: "wechat-app-secret-01234", token: "wechattoken" };
const EMAIL = { address: "help@bank.example", fromName: "Bank Help", inboundToken: "email-inbound-token-0123456789" };
const API = { webhookSecret: "api-webhook-secret-0123456789" };
const inboxes: Record<string, InboxRow> = {};

beforeAll(async () => {
  provider = await startRecorder();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      // A mailbox that does not exist: a permanent (5xx) refusal.
      if (address.address.startsWith("nobody@")) return cb(Object.assign(new Error("No such user"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail: await simpleParser(raw), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  app = await startTestApp({
    env: {
      TWILIO_API_BASE_URL: provider.url,
      WHATSAPP_API_BASE_URL: `${provider.url}/v21.0`,
      WECHAT_API_BASE_URL: provider.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "noreply@bank.example",
      CHANNEL_DELIVERY_ATTEMPTS: "3",
      CHANNEL_DELIVERY_BACKOFF_MS: "50",
    },
  });
  inboxes.sms = await createChannelInbox(app.ctx, "sms", "sms", TWILIO);
  inboxes.whatsapp = await createChannelInbox(app.ctx, "whatsapp", "whatsapp", WHATSAPP, { botEnabled: true });
  inboxes.wechat = await createChannelInbox(app.ctx, "wechat", "wechat", WECHAT);
  inboxes.email = await createChannelInbox(app.ctx, "email", "email", EMAIL);
  inboxes.api = await createChannelInbox(app.ctx, "api", "app", { webhookUrl: `${provider.url}/app-hook`, ...API });
  agentId = (await app.db.query<{ id: string }>("SELECT id FROM agents WHERE role = 'admin' LIMIT 1")).rows[0]!.id;
});
afterAll(async () => {
  await app?.close();
  await provider?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

/** A customer message through the inbound path, then an agent's reply on the same conversation. */
async function customerThenAgent(
  inbox: InboxRow,
  sourceId: string,
  reply: string,
  extra: Partial<Parameters<typeof receiveChannelMessage>[1]> = {},
) {
  const inbound = await receiveChannelMessage(app.ctx, {
    inbox,
    sourceId,
    providerMessageId: `in-${crypto.randomUUID()}`,
    content: "Hello bank",
    ...extra,
  });
  const { message } = await postMessage(app.ctx, {
    conversationId: inbound.conversation.id,
    messageType: "outgoing",
    senderType: "agent",
    senderId: agentId,
    content: reply,
  });
  return { inbound, message };
}

const requestsTo = (path: string) => provider.requests.filter((r) => r.url.split("?")[0] === path);

describe("SMS (Twilio)", () => {
  const path = `/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`;

  it("sends the reply through the Messages API and records it sent, telling the agents", async () => {
    provider.respond = (r) => (r.url === path ? { status: 201, body: { sid: "SM" + "9".repeat(32), status: "queued" } } : { status: 404 });
    const updates: MessageRow[] = [];
    const off = app.ctx.bus.on("message.updated", ({ message }) => void updates.push(message));
    const { message } = await customerThenAgent(inboxes.sms!, "+8613800138000", "Your card is active again.");
    const delivery = await finalDelivery(app.ctx, message.id);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, providerId: "SM" + "9".repeat(32) });

    const [req, ...rest] = requestsTo(path);
    expect(rest).toHaveLength(0);
    expect(req!.method).toBe("POST");
    expect(req!.headers.authorization).toBe("Basic " + Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64"));
    expect(req!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(req!.body))).toEqual({
      To: "+8613800138000",
      From: TWILIO.from,
      Body: "Your card is active again.",
    });
    // Agents heard of the queued and the sent status. The event follows the write that the
    // poll above saw, so it is waited for, not read at once (that was a race under load).
    const heard = () => updates.filter((m) => m.id === message.id).map((m) => (m.content_attributes.delivery as { status: string }).status);
    await eventually(async () => (heard().includes("sent") ? true : undefined), 15_000, "the agents' sent event");
    off();
    expect(heard()).toEqual(["queued", "sent"]);
  });

  it("retries a provider answering 500 with backoff, then marks the reply failed where the agents see it", async () => {
    // An admin's console socket: it must hear of the failure without reloading.
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "watcher@bank.example",
      name: "Watcher",
      role: "admin",
      password: "correct-horse-battery",
    });
    const { cookie } = await signInAgent(app, "watcher@bank.example", "correct-horse-battery");
    const console = unpackAgentEvents(
      connect(`${app.url}/agent`, {
        transports: ["websocket"],
        extraHeaders: { cookie },
        forceNew: true,
        reconnection: false,
      }),
    );
    await new Promise<void>((resolve, reject) => {
      console.once("connect", () => resolve());
      console.once("connect_error", reject);
    });
    provider.requests.length = 0;
    provider.respond = () => ({ status: 500, body: { code: 20500, message: "Internal Server Error at db-7.internal:5432" } });
    const failedEvent = nextEvent<{ message: { attributes: { delivery?: { status: string; attempts: number } } } }>(
      console,
      "message:updated",
      (e) => e.message.attributes.delivery?.status === "failed",
    );
    const { message } = await customerThenAgent(inboxes.sms!, "+8613800138001", "This will not arrive.");
    expect((await failedEvent).message.attributes.delivery).toMatchObject({ status: "failed", attempts: 3 });
    console.disconnect();
    const delivery = await finalDelivery(app.ctx, message.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 3 });
    expect(delivery.error).toMatch(/Twilio answered 500/);
    // The status only: what the receiver answered never reaches the agents (SSRF finding 4).
    expect(delivery.error).not.toMatch(/db-7|Internal Server Error/);
    expect(requestsTo(path)).toHaveLength(3);
    const failed = await eventually(async () => {
      const { rows } = await app.db.query<{ attempts: number }>("SELECT attempts FROM failed_jobs WHERE data->>'messageId' = $1", [
        message.id,
      ]);
      return rows[0];
    });
    expect(failed.attempts).toBe(3);
  });

  it("does not retry a request the provider refuses (4xx): failed after one attempt", async () => {
    provider.requests.length = 0;
    provider.respond = () => ({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number." } });
    const { message } = await customerThenAgent(inboxes.sms!, "+8613800138002", "Invalid number.");
    const delivery = await finalDelivery(app.ctx, message.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    // Twilio's documented error code, not its words (only numbers are taken from an answer).
    expect(delivery.error).toBe("Twilio answered 400 (error 21211)");
    expect(requestsTo(path)).toHaveLength(1);
  });

  it("sends nothing for a private note", async () => {
    provider.requests.length = 0;
    const { inbound } = await customerThenAgent(inboxes.sms!, "+8613800138003", "public");
    await finalDelivery(
      app.ctx,
      (
        await app.db.query<{ id: string }>("SELECT id FROM messages WHERE conversation_id = $1 AND message_type = 'outgoing'", [
          inbound.conversation.id,
        ])
      ).rows[0]!.id,
    );
    provider.requests.length = 0;
    const note = await postMessage(app.ctx, {
      conversationId: inbound.conversation.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "internal only",
      private: true,
    });
    // A public reply after the note: once it is sent, the note would have been too.
    const after = await postMessage(app.ctx, {
      conversationId: inbound.conversation.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "public again",
    });
    await finalDelivery(app.ctx, after.message.id);
    expect(note.message.content_attributes.delivery).toBeUndefined();
    const stored = await app.db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [note.message.id]);
    expect(stored.rows[0]!.content_attributes.delivery).toBeUndefined();
    expect(
      requestsTo(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`).map((r) => new URLSearchParams(r.body).get("Body")),
    ).toEqual(["public again"]);
  });
});

describe("WhatsApp (Cloud API)", () => {
  it("delivers the bot's answer to a customer's WhatsApp message, and applies the read receipt", async () => {
    provider.requests.length = 0;
    const path = `/v21.0/${WHATSAPP.phoneNumberId}/messages`;
    provider.respond = (r) =>
      r.url === path ? { status: 200, body: { messaging_product: "whatsapp", messages: [{ id: "wamid.OUT-1" }] } } : { status: 404 };
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: WHATSAPP.phoneNumberId },
                contacts: [{ wa_id: "8613900139000", profile: { name: "Zhang Wei" } }],
                messages: [{ from: "8613900139000", id: "wamid.IN-1", type: "text", text: { body: "I lost my card" } }],
              },
            },
          ],
        },
      ],
    });
    const res = await fetch(`${app.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": metaSignature(Buffer.from(body), WHATSAPP.appSecret) },
      body,
    });
    expect(res.status).toBe(200);

    const reply = await eventually(
      async () => {
        const { rows } = await app.db.query<MessageRow>(
          `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.inbox_id = $1 AND m.message_type = 'outgoing' AND m.sender_type = 'bot' AND NOT m.private`,
          [inboxes.whatsapp!.id],
        );
        return rows[0];
      },
      20_000,
      "the bot's reply",
    );
    expect(await finalDelivery(app.ctx, reply.id)).toMatchObject({ status: "sent", providerId: "wamid.OUT-1" });

    const [req] = requestsTo(path);
    expect(req!.method).toBe("POST");
    expect(req!.headers.authorization).toBe(`Bearer ${WHATSAPP.accessToken}`);
    expect(JSON.parse(req!.body)).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "8613900139000",
      type: "text",
      text: { preview_url: false, body: reply.content },
    });

    const receipt = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: { metadata: { phone_number_id: WHATSAPP.phoneNumberId }, statuses: [{ id: "wamid.OUT-1", status: "read" }] },
            },
          ],
        },
      ],
    });
    await fetch(`${app.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": metaSignature(Buffer.from(receipt), WHATSAPP.appSecret) },
      body: receipt,
    });
    const { rows } = await app.db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [reply.id]);
    expect(rows[0]!.content_attributes.delivery).toMatchObject({ status: "read", providerId: "wamid.OUT-1" });
  });
});

describe("WeChat (customer-service message API)", () => {
  it("fetches an access token once, sends the reply with it, and refreshes it when WeChat says it expired", async () => {
    provider.requests.length = 0;
    let tokenCalls = 0;
    let expireNext = false;
    provider.respond = (r) => {
      const [p, q] = r.url.split("?");
      const params = new URLSearchParams(q);
      if (p === "/cgi-bin/token") {
        tokenCalls++;
        const ok =
          params.get("grant_type") === "client_credential" &&
          params.get("appid") === WECHAT.appId &&
          params.get("secret") === WECHAT.appSecret;
        return ok
          ? { status: 200, body: { access_token: `TOKEN-${tokenCalls}`, expires_in: 7200 } }
          : { status: 200, body: { errcode: 40125, errmsg: "invalid appsecret" } };
      }
      if (p === "/cgi-bin/message/custom/send") {
        if (expireNext && params.get("access_token") === "TOKEN-1")
          return { status: 200, body: { errcode: 42001, errmsg: "access_token expired" } };
        return { status: 200, body: { errcode: 0, errmsg: "ok" } };
      }
      return { status: 404 };
    };
    const openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
    const first = await customerThenAgent(inboxes.wechat!, openid, "您好，您的卡已冻结。");
    expect(await finalDelivery(app.ctx, first.message.id)).toMatchObject({ status: "sent" });
    const second = await postMessage(app.ctx, {
      conversationId: first.inbound.conversation.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "还有其他问题吗？",
    });
    expect(await finalDelivery(app.ctx, second.message.id)).toMatchObject({ status: "sent" });
    expect(tokenCalls).toBe(1);

    const sends = requestsTo("/cgi-bin/message/custom/send");
    expect(sends.map((r) => r.url)).toEqual([
      "/cgi-bin/message/custom/send?access_token=TOKEN-1",
      "/cgi-bin/message/custom/send?access_token=TOKEN-1",
    ]);
    expect(sends[0]!.method).toBe("POST");
    expect(JSON.parse(sends[0]!.body)).toEqual({ touser: openid, msgtype: "text", text: { content: "您好，您的卡已冻结。" } });

    expireNext = true;
    const third = await postMessage(app.ctx, {
      conversationId: first.inbound.conversation.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "再见",
    });
    expect(await finalDelivery(app.ctx, third.message.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(tokenCalls).toBe(2);
    expect(requestsTo("/cgi-bin/message/custom/send").at(-1)!.url).toBe("/cgi-bin/message/custom/send?access_token=TOKEN-2");
  });
});

describe("API channel", () => {
  it("POSTs the reply to the app's webhook, signed with the inbox's secret", async () => {
    provider.requests.length = 0;
    provider.respond = () => ({ status: 204, body: "" });
    const { message, inbound } = await customerThenAgent(inboxes.api!, "app-user-7", "Your PIN reset link is in the app.");
    expect(await finalDelivery(app.ctx, message.id)).toMatchObject({ status: "sent" });
    const [req] = requestsTo("/app-hook");
    expect(req!.method).toBe("POST");
    expect(verifyWebhookSignature(API.webhookSecret, req!.body, req!.headers["x-bankdesk-signature"] as string)).toBe(true);
    expect(verifyWebhookSignature("another-secret-0123456", req!.body, req!.headers["x-bankdesk-signature"] as string)).toBe(false);
    expect(JSON.parse(req!.body)).toMatchObject({
      event: "message.created",
      sourceId: "app-user-7",
      conversation: { id: inbound.conversation.id },
      message: { id: message.id, content: "Your PIN reset link is in the app.", type: "outgoing" },
    });
  });
});

describe("E-mail (SMTP)", () => {
  it("sends text and HTML parts with threading headers, and the customer's reply threads back", async () => {
    mails.length = 0;
    const inboundId = "first-question.1@mail.example.com";
    const { message, inbound } = await customerThenAgent(
      inboxes.email!,
      "li.lei@example.com",
      "Your October statement is attached <soon>.\n\nBest regards",
      {
        providerMessageId: inboundId,
        content: "Where is my statement?",
        threadRefs: [],
        contact: { email: "li.lei@example.com" },
        attributes: { email: { subject: "Statement question", messageId: inboundId } },
      },
    );
    const delivery = await finalDelivery(app.ctx, message.id);
    expect(delivery).toMatchObject({ status: "sent" });
    const ourId = `bankdesk.${inbound.conversation.id}.${message.id}@bank.example`;
    expect(delivery.providerId).toBe(ourId);

    expect(mails).toHaveLength(1);
    const { mail, envelopeTo } = mails[0]!;
    expect(envelopeTo).toEqual(["li.lei@example.com"]);
    expect(mail.from?.value[0]).toMatchObject({ address: "help@bank.example", name: "Bank Help" });
    expect(mail.subject).toBe("Re: Statement question");
    expect(mail.messageId).toBe(`<${ourId}>`);
    expect(mail.inReplyTo).toBe(`<${inboundId}>`);
    expect(mail.references).toBe(`<${inboundId}>`);
    expect(mail.text?.trim()).toBe("Your October statement is attached <soon>.\n\nBest regards");
    expect(mail.html).toContain("<p>Your October statement is attached &lt;soon&gt;.</p>");
    // An agent's reply is not automatic; the bot's would say Auto-Submitted.
    expect(mail.headers.get("auto-submitted")).toBeUndefined();

    // The customer answers our e-mail: threaded by In-Reply-To into the same conversation.
    const replyMime = [
      "From: Li Lei <li.lei@example.com>",
      "To: help@bank.example",
      "Subject: Re: Statement question",
      "Message-ID: <second.2@mail.example.com>",
      `In-Reply-To: <${ourId}>`,
      `References: <${inboundId}> <${ourId}>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Thanks!",
      "",
    ].join("\r\n");
    const res = await fetch(`${app.url}/webhooks/email`, {
      method: "POST",
      headers: { authorization: `Bearer ${EMAIL.inboundToken}`, "content-type": "message/rfc822" },
      body: replyMime,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { conversationId: string }).conversationId).toBe(inbound.conversation.id);

    // The next reply references the whole thread.
    const next = await postMessage(app.ctx, {
      conversationId: inbound.conversation.id,
      messageType: "outgoing",
      senderType: "agent",
      senderId: agentId,
      content: "You're welcome.",
    });
    await finalDelivery(app.ctx, next.message.id);
    const second = mails[1]!.mail;
    expect(second.inReplyTo).toBe("<second.2@mail.example.com>");
    expect(second.references).toEqual([`<${inboundId}>`, `<${ourId}>`, "<second.2@mail.example.com>"]);
  });

  it("marks a reply to a mailbox the server refuses (550) failed at once", async () => {
    const { message } = await customerThenAgent(inboxes.email!, "nobody@example.com", "Hello?", {
      threadRefs: [],
      contact: { email: "nobody@example.com" },
    });
    const delivery = await finalDelivery(app.ctx, message.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.error).toMatch(/SMTP/);
  });
});
