import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/testApp.ts";
import { metaSignature, twilioSignature, wechatSignature } from "../../../server/channels/signatures.ts";
import { rotateInboxApiKey } from "../../../server/channels/commands/rotateInboxApiKey.ts";
import { SYSTEM } from "../../../server/actor.ts";
import { createChannelInbox } from "./channelHelpers.ts";

/**
 * Inbound webhooks of every channel against the real server: a correctly signed
 * message is stored once even when the provider posts it twice; a missing or
 * wrong signature is refused; a malformed body is a 400 with {error:{code,message}}.
 */
let app: TestApp;
const TWILIO = { accountSid: "AC" + "a1".repeat(16), authToken: "twilio-auth-token-0123456789", from: "+15005550006" };
const WHATSAPP = {
  phoneNumberId: "106540352242922",
  accessToken: "wa-access-token-0123456789",
  appSecret: "meta-app-secret-0123456789",
  verifyToken: "verify-me-please",
};
const WECHAT = { appId: "wx1234567890abcdef", appSecret: "wechat-app-secret-01234", token: "wechattoken" };
const EMAIL = { address: "help@bank.example", fromName: "Bank Help", inboundToken: "email-inbound-token-0123456789" };
let apiKey: string;

beforeAll(async () => {
  app = await startTestApp();
  await createChannelInbox(app.ctx, "sms", "sms", TWILIO);
  await createChannelInbox(app.ctx, "whatsapp", "whatsapp", WHATSAPP);
  await createChannelInbox(app.ctx, "wechat", "wechat", WECHAT);
  await createChannelInbox(app.ctx, "email", "email", EMAIL);
  const apiInbox = await createChannelInbox(app.ctx, "api", "app", {
    webhookUrl: "http://127.0.0.1:9/hook",
    webhookSecret: "api-webhook-secret-0123",
  });
  apiKey = (await rotateInboxApiKey(app.ctx, { actor: SYSTEM, inbox: apiInbox.id })).apiKey;
});
afterAll(() => app?.close());

async function stored(providerId: string) {
  const { rows } = await app.db.query<{ n: number; conversations: number; content: string }>(
    `SELECT count(*)::int AS n, count(DISTINCT conversation_id)::int AS conversations, max(content) AS content
     FROM messages WHERE client_id = $1`,
    [`ch:${providerId}`],
  );
  return rows[0]!;
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
}

describe("POST /webhooks/twilio", () => {
  const post = (params: Record<string, string>, signature?: string) => {
    const body = new URLSearchParams(params).toString();
    return fetch(`${app.url}/webhooks/twilio`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature !== undefined ? { "x-twilio-signature": signature } : {}),
      },
      body,
    });
  };
  const sign = (params: Record<string, string>) => twilioSignature(`${app.url}/webhooks/twilio`, Object.entries(params), TWILIO.authToken);
  const sid = "SM" + "b2".repeat(16);
  const params = {
    MessageSid: sid,
    AccountSid: TWILIO.accountSid,
    From: "+8613800138000",
    To: TWILIO.from,
    Body: "Is my card blocked?",
    NumMedia: "0",
  };

  it("stores a signed message once, even when Twilio posts it twice", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(params, sign(params));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/xml/);
      expect(await res.text()).toContain("<Response>");
    }
    expect(await stored(sid)).toEqual({ n: 1, conversations: 1, content: "Is my card blocked?" });
    const contact = await app.db.query<{ phone: string }>(
      "SELECT c.phone FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE ci.source_id = $1",
      ["+8613800138000"],
    );
    expect(contact.rows).toEqual([{ phone: "+8613800138000" }]);
  });

  it("continues the customer's open conversation with their next message", async () => {
    const next = { ...params, MessageSid: "SM" + "c3".repeat(16), Body: "Hello?" };
    expect((await post(next, sign(next))).status).toBe(200);
    const { rows } = await app.db.query<{ n: number }>(
      `SELECT count(DISTINCT conversation_id)::int AS n FROM messages WHERE client_id IN ($1, $2)`,
      [`ch:${sid}`, `ch:${next.MessageSid}`],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("stores a message once when the provider delivers it several times at once", async () => {
    const burst = { ...params, MessageSid: "SM" + "e5".repeat(16), From: "+8613800138099", Body: "Burst" };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(burst, sign(burst))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await stored(burst.MessageSid)).toEqual({ n: 1, conversations: 1, content: "Burst" });
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM contact_inboxes WHERE source_id = $1", [burst.From]);
    expect(rows[0]!.n).toBe(1);
  });

  it("refuses a missing or wrong signature with 401", async () => {
    const forged = { ...params, MessageSid: "SM" + "d4".repeat(16) };
    await expectError(await post(forged), 401, "unauthenticated");
    await expectError(await post(forged, sign(params)), 401, "unauthenticated");
    expect((await stored(forged.MessageSid)).n).toBe(0);
  });

  it("answers 400 to a signed request that is not a message", async () => {
    const bad = { AccountSid: TWILIO.accountSid, Body: "no sid, no sender" };
    await expectError(await post(bad, sign(bad)), 400, "validation_error");
  });
});

describe("/webhooks/whatsapp", () => {
  const payload = (id: string, text: string) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: WHATSAPP.phoneNumberId },
              contacts: [{ wa_id: "8613900139000", profile: { name: "Zhang Wei" } }],
              messages: [{ from: "8613900139000", id, timestamp: "1732400000", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
  const post = (body: string, signature?: string) =>
    fetch(`${app.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
      body,
    });

  it("answers Meta's verification handshake only with the right verify token", async () => {
    const ok = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    await expectError(wrong, 403, "forbidden");
    await expectError(await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe`), 400, "validation_error");
  });

  it("stores a signed message once, even when posted twice", async () => {
    const id = "wamid.HBgLODYxMzkwMDEzOTAwMBUCABIYFjNFQjBDMEI3";
    const body = JSON.stringify(payload(id, "我的信用卡额度是多少？"));
    for (let i = 0; i < 2; i++) {
      const res = await post(body, metaSignature(Buffer.from(body), WHATSAPP.appSecret));
      expect(res.status).toBe(200);
    }
    expect(await stored(id)).toEqual({ n: 1, conversations: 1, content: "我的信用卡额度是多少？" });
    const { rows } = await app.db.query<{ name: string }>(
      "SELECT c.name FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE ci.source_id = $1",
      ["8613900139000"],
    );
    expect(rows).toEqual([{ name: "Zhang Wei" }]);
  });

  it("routes each change to the inbox of its phone number (one Meta app, several numbers)", async () => {
    const second = await createChannelInbox(app.ctx, "whatsapp", "whatsapp-2", { ...WHATSAPP, phoneNumberId: "209876543210987" });
    const forSecond = payload("wamid.SECOND-1", "to the second number");
    forSecond.entry[0]!.changes[0]!.value.metadata.phone_number_id = "209876543210987";
    const unknown = payload("wamid.UNKNOWN-1", "to nobody");
    unknown.entry[0]!.changes[0]!.value.metadata.phone_number_id = "555555555555555";
    for (const p of [forSecond, unknown]) {
      const body = JSON.stringify(p);
      expect((await post(body, metaSignature(Buffer.from(body), WHATSAPP.appSecret))).status).toBe(200);
    }
    const { rows } = await app.db.query<{ inbox_id: string }>(
      "SELECT c.inbox_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.client_id = $1",
      ["ch:wamid.SECOND-1"],
    );
    expect(rows).toEqual([{ inbox_id: second.id }]);
    expect((await stored("wamid.UNKNOWN-1")).n).toBe(0);
  });

  it("refuses an unsigned or wrongly signed body with 401", async () => {
    const body = JSON.stringify(payload("wamid.forged", "hi"));
    await expectError(await post(body), 401, "unauthenticated");
    await expectError(await post(body, metaSignature(Buffer.from(body), "another-secret-0123456789")), 401, "unauthenticated");
    expect((await stored("wamid.forged")).n).toBe(0);
  });

  it("answers 400 to signed JSON that is malformed or not a webhook", async () => {
    for (const body of ["{not json", JSON.stringify({ object: "whatsapp_business_account", entry: "nope" })]) {
      await expectError(await post(body, metaSignature(Buffer.from(body), WHATSAPP.appSecret)), 400, "validation_error");
    }
  });
});

describe("/webhooks/wechat", () => {
  const query = (timestamp = String(Math.floor(Date.now() / 1000)), nonce = crypto.randomBytes(6).toString("hex"), signature?: string) =>
    `signature=${signature ?? wechatSignature(WECHAT.token, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}`;
  const xml = (msgId: string, content: string) =>
    `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>` +
    `<CreateTime>1732400000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const post = (q: string, body: string) =>
    fetch(`${app.url}/webhooks/wechat?${q}`, { method: "POST", headers: { "content-type": "text/xml" }, body });

  it("echoes echostr for a correctly signed handshake, refuses a wrong one", async () => {
    const ok = await fetch(`${app.url}/webhooks/wechat?${query()}&echostr=5837397520153418240`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("5837397520153418240");
    await expectError(
      await fetch(`${app.url}/webhooks/wechat?${query(undefined, undefined, "0".repeat(40))}&echostr=1`),
      401,
      "unauthenticated",
    );
  });

  it("stores a signed text message once, keeping its 64-bit MsgId exact", async () => {
    const msgId = "24823749210123456789";
    for (let i = 0; i < 2; i++) {
      const res = await post(query(), xml(msgId, "信用卡丢了怎么办"));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("success");
    }
    expect(await stored(msgId)).toEqual({ n: 1, conversations: 1, content: "信用卡丢了怎么办" });
  });

  it("refuses a replayed signed URL and a stale timestamp (the signature does not cover the body)", async () => {
    const q = query();
    expect((await post(q, xml("24823749210000000101", "first"))).status).toBe(200);
    // The same signed URL with another body: someone who logged it posting as another customer.
    await expectError(await post(q, xml("24823749210000000102", "replayed")), 401, "unauthenticated");
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    await expectError(await post(query(old), xml("24823749210000000103", "stale")), 401, "unauthenticated");
    await expectError(await fetch(`${app.url}/webhooks/wechat?${query(old)}&echostr=1`), 401, "unauthenticated");
    expect((await stored("24823749210000000102")).n).toBe(0);
    expect((await stored("24823749210000000103")).n).toBe(0);
  });

  it("refuses a wrong signature with 401 and malformed XML with 400", async () => {
    await expectError(await post(query(undefined, undefined, "f".repeat(40)), xml("24823749210000000001", "x")), 401, "unauthenticated");
    await expectError(await post("timestamp=1&nonce=2", xml("24823749210000000001", "x")), 401, "unauthenticated");
    await expectError(await post(query(), "<xml><MsgType>text</MsgType>"), 400, "validation_error");
    await expectError(
      await post(query(), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'),
      400,
      "validation_error",
    );
    expect((await stored("24823749210000000001")).n).toBe(0);
  });
});

describe("POST /webhooks/email", () => {
  const mime = (o: { id: string; subject: string; body: string; inReplyTo?: string; from?: string }) =>
    [
      `From: ${o.from ?? "Li Lei <li.lei@example.com>"}`,
      `To: ${EMAIL.address}`,
      `Subject: ${o.subject}`,
      `Message-ID: <${o.id}>`,
      ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
      "Date: Tue, 24 Nov 2026 08:00:00 +0800",
      "MIME-Version: 1.0",
      'Content-Type: text/plain; charset="utf-8"',
      "",
      o.body,
      "",
    ].join("\r\n");
  const post = (body: string, token: string | null = EMAIL.inboundToken) =>
    fetch(`${app.url}/webhooks/email`, {
      method: "POST",
      headers: { "content-type": "message/rfc822", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  it("stores a message once, and threads a reply into the same conversation", async () => {
    const first = mime({ id: "first.1@example.com", subject: "Statement question", body: "Where is my October statement?" });
    const a = await post(first);
    expect(a.status).toBe(200);
    const again = await post(first);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await stored("first.1@example.com")).toEqual({ n: 1, conversations: 1, content: "Where is my October statement?" });

    const reply = mime({
      id: "second.2@example.com",
      subject: "Re: Statement question",
      inReplyTo: "first.1@example.com",
      body: "Also November please.\r\n\r\nOn Mon, 23 Nov 2026 Bank Help wrote:\r\n> Where is my October statement?",
    });
    expect((await post(reply)).status).toBe(200);
    const { rows } = await app.db.query<{ conversation_id: string; content: string }>(
      "SELECT conversation_id, content FROM messages WHERE client_id IN ($1, $2) ORDER BY seq",
      ["ch:first.1@example.com", "ch:second.2@example.com"],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.conversation_id).toBe(rows[1]!.conversation_id);
    // The quoted history is cut off.
    expect(rows[1]!.content).toBe("Also November please.");

    const fresh = mime({ id: "third.3@example.com", subject: "Another topic", body: "New question" });
    expect((await post(fresh)).status).toBe(200);
    const third = await app.db.query<{ conversation_id: string }>("SELECT conversation_id FROM messages WHERE client_id = $1", [
      "ch:third.3@example.com",
    ]);
    expect(third.rows[0]!.conversation_id).not.toBe(rows[0]!.conversation_id);

    // Someone else replying to the customer's thread (the headers are easy to copy) starts
    // a conversation of their own; they never write into the customer's.
    const hijack = mime({
      id: "hijack.4@example.com",
      from: "Mallory <mallory@evil.example>",
      subject: "Re: Statement question",
      inReplyTo: "first.1@example.com",
      body: "Please change my phone number to 13800000000",
    });
    expect((await post(hijack)).status).toBe(200);
    const forged = await app.db.query<{ conversation_id: string }>("SELECT conversation_id FROM messages WHERE client_id = $1", [
      "ch:hijack.4@example.com",
    ]);
    expect(forged.rows[0]!.conversation_id).not.toBe(rows[0]!.conversation_id);
  });

  it("refuses a missing or wrong token with 401", async () => {
    const m = mime({ id: "forged.1@example.com", subject: "x", body: "x" });
    await expectError(await post(m, null), 401, "unauthenticated");
    await expectError(await post(m, "wrong-token-0123456789"), 401, "unauthenticated");
    expect((await stored("forged.1@example.com")).n).toBe(0);
  });

  it("answers 400 to a body without a sender, and ignores auto-replies", async () => {
    await expectError(await post("this is not an e-mail at all"), 400, "validation_error");
    const auto = mime({ id: "ooo.1@example.com", subject: "Out of office", body: "I am away" }).replace(
      "MIME-Version",
      "Auto-Submitted: auto-replied\r\nMIME-Version",
    );
    const res = await post(auto);
    expect(res.status).toBe(202);
    expect((await stored("ooo.1@example.com")).n).toBe(0);
  });
});

describe("API channel", () => {
  const post = (body: unknown, key: string | null = apiKey) =>
    fetch(`${app.url}/api/v1/channels/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });

  it("creates the contact, conversation and message once per messageId", async () => {
    const body = { sourceId: "app-user-42", messageId: "app-msg-1", content: "How do I reset my PIN?", contact: { name: "Chen Jie" } };
    const a = await post(body);
    expect(a.status).toBe(201);
    const first = (await a.json()) as { conversation: { id: string }; message: { id: string }; duplicate: boolean };
    expect(first.duplicate).toBe(false);
    const b = (await (await post(body)).json()) as { message: { id: string }; duplicate: boolean };
    expect(b).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect(await stored("app-msg-1")).toEqual({ n: 1, conversations: 1, content: "How do I reset my PIN?" });

    const list = await fetch(`${app.url}/api/v1/channels/api/conversations/${first.conversation.id}/messages`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(((await list.json()) as { items: Array<{ content: string }> }).items.map((m) => m.content)).toEqual(["How do I reset my PIN?"]);
  });

  it("refuses a missing or unknown key with 401 and a bad body with 400", async () => {
    const body = { sourceId: "x", messageId: "app-msg-forged", content: "hi" };
    await expectError(await post(body, null), 401, "unauthenticated");
    await expectError(await post(body, "bdk_not-a-real-key"), 401, "unauthenticated");
    await expectError(await post({ sourceId: "x" }), 400, "validation_error");
    expect((await stored("app-msg-forged")).n).toBe(0);
  });

  it("does not let one contact write into another's conversation", async () => {
    const mine = (await (await post({ sourceId: "owner", messageId: "own-1", content: "mine" })).json()) as {
      conversation: { id: string };
    };
    const res = await post({ sourceId: "intruder", messageId: "own-2", content: "hijack", conversationId: mine.conversation.id });
    await expectError(res, 404, "not_found");
  });
});

describe("webhook endpoints in general", () => {
  it("refuses bodies over the size limit with 413 and unknown paths with 404", async () => {
    const big = "a".repeat(300 * 1024);
    await expectError(await fetch(`${app.url}/webhooks/twilio`, { method: "POST", body: big }), 413, "payload_too_large");
    await expectError(await fetch(`${app.url}/webhooks/nope`, { method: "POST", body: "x" }), 404, "not_found");
  });

  it("answers 404 for a channel with no inbox, naming it", async () => {
    await expectError(await fetch(`${app.url}/webhooks/twilio/no-such-inbox`, { method: "POST", body: "x" }), 404, "not_found");
  });
});
