/**
 * Fuzzing the channel webhooks (/webhooks/email|twilio|whatsapp|wechat) against
 * the real server: malformed JSON, XML, form and MIME bodies, bad or missing
 * signatures, oversized bodies, XML entity and DOCTYPE tricks. Properties: never a
 * 5xx (a provider would retry forever), unsigned or wrongly signed requests are
 * 401/403, a refused request stores nothing, an accepted one stores a message with
 * text, and the server keeps serving /healthz.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { metaSignature, twilioSignature, wechatSignature } from "../../server/channels/signatures.ts";
import { createChannelInbox } from "../integration/channels/channelHelpers.ts";
import { rotateInboxApiKey } from "../../server/channels/commands/rotateInboxApiKey.ts";
import { SYSTEM } from "../../server/actor.ts";
import { clientIp, expectClientError, expectHealthy, expectNo5xx, fcOptions, hostileString, hostileValue, rowCounts } from "./fuzzKit.ts";

let app: TestApp;
let apiKey = "";
const TWILIO = { accountSid: "AC" + "a1".repeat(16), authToken: "twilio-auth-token-0123456789", from: "+15005550006" };
const WHATSAPP = {
  phoneNumberId: "106540352242922",
  accessToken: "wa-access-token-0123456789",
  appSecret: "meta-app-secret-0123456789",
  verifyToken: "verify-me-please",
};
const WECHAT = { appId: "wx1234567890abcdef", appSecret: "wechat-app-secret-01234", token: "wechattoken" };
const EMAIL = { address: "help@bank.example", fromName: "Bank Help", inboundToken: "email-inbound-token-0123456789" };

beforeAll(async () => {
  app = await startTestApp({ services: ["web"], env: { INBOUND_EMAIL_MAX_BYTES: "65536" } });
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

const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) =>
  fetch(`${app.url}${path}`, { method: "POST", body: body as BodyInit, headers: { "x-forwarded-for": clientIp(), ...headers } });

/**
 * Posts, then checks the properties: no 5xx, refusals store nothing, acceptances
 * store text. `signed` says whether the request carried a valid signature.
 */
async function check(what: string, signed: boolean, send: () => Promise<Response>) {
  const before = await rowCounts(app.db);
  const { status } = await expectNo5xx(await send(), what);
  const after = await rowCounts(app.db);
  // Unsigned: refused, as 401/403 or, when the request is malformed before the signature is looked at, 400.
  if (!signed) expect([400, 401, 403], what).toContain(status);
  if (status >= 400) expect(after, what).toEqual(before);
  else {
    const { rows } = await app.db.query<{ content: string }>(
      "SELECT content FROM messages WHERE message_type = 'incoming' ORDER BY created_at DESC, seq DESC LIMIT 1",
    );
    if (after.messages > before.messages) expect(rows[0]!.content.trim().length, what).toBeGreaterThan(0);
  }
  return status;
}

describe("fuzz: POST /webhooks/twilio", () => {
  const param = fc.constantFrom("MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0", "MediaContentType0", "AccountSid");
  const sid = fc.oneof(fc.constant("SM" + "c3".repeat(16)), fc.stringMatching(/^SM[0-9a-f]{32}$/), hostileString);
  const paramsArb = fc.tuple(
    sid,
    fc.array(fc.tuple(param, fc.oneof(hostileString, fc.constantFrom("+15551234567", "3", "-1", "11", "1e3"))), { maxLength: 6 }),
  );

  it("signed form bodies with hostile fields: 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, async ([messageSid, pairs]) => {
        const params = new URLSearchParams([["MessageSid", messageSid], ["From", "+15551230000"], ["Body", "hello"], ...pairs]);
        const signature = twilioSignature(`${app.url}/webhooks/twilio`, params, TWILIO.authToken);
        await check(`twilio ${params}`, true, () =>
          post("/webhooks/twilio", params.toString(), {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": signature,
          }),
        );
      }),
      {
        ...fcOptions(),
        examples: [[["SM" + "d4".repeat(16), [["Body", "a\u0000b"]]]], [["SM" + "e5".repeat(16), [["From", "+1555\u0000"]]]]],
      },
    );
  });

  it("unsigned, wrongly signed or malformed: 401/400, nothing stored", async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.constant("%%%&&&==="),
    );
    const sig = fc.option(
      fc.oneof(
        fc.base64String({ minLength: 28, maxLength: 28 }),
        hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(body, sig, async (b, s) => {
        await check(`twilio unsigned ${b.slice(0, 80)}`, false, () =>
          post("/webhooks/twilio", b, {
            "content-type": "application/x-www-form-urlencoded",
            ...(s === undefined ? {} : { "x-twilio-signature": s }),
          }),
        );
      }),
      fcOptions(40),
    );
  });
});

describe("fuzz: POST /webhooks/whatsapp", () => {
  const message = fc.record(
    {
      from: fc.oneof(fc.constant("15551234567"), hostileString),
      id: fc.oneof(
        fc.uuid().map((u) => `wamid.${u}`),
        hostileString,
      ),
      type: fc.oneof(fc.constant("text"), hostileString),
      text: fc.record({ body: hostileString }),
      timestamp: hostileValue,
    },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(
    fc.record({
      object: fc.constant("whatsapp_business_account"),
      entry: fc.array(
        fc.record({
          changes: fc.array(
            fc.record({
              field: fc.constantFrom("messages", "statuses", "x"),
              value: fc.record(
                {
                  metadata: fc.record({ phone_number_id: fc.oneof(fc.constant(WHATSAPP.phoneNumberId), hostileString) }),
                  contacts: fc.array(fc.record({ wa_id: hostileString, profile: fc.record({ name: hostileString }) }), { maxLength: 2 }),
                  messages: fc.array(message, { maxLength: 3 }),
                  statuses: fc.array(
                    fc.record({ id: hostileString, status: fc.constantFrom("sent", "read", "failed", "x"), errors: hostileValue }),
                    { maxLength: 2 },
                  ),
                },
                { requiredKeys: [] },
              ),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
    }),
    hostileValue,
  );

  it("signed JSON with hostile structure: 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          payload.map((p) => JSON.stringify(p) ?? "null"),
          fc.string({ maxLength: 200 }),
          fc.constantFrom("{", "[]", '{"entry":null}'),
        ),
        async (raw) => {
          const body = Buffer.from(raw);
          await check(`whatsapp ${raw.slice(0, 160)}`, true, () =>
            post("/webhooks/whatsapp", body, {
              "content-type": "application/json",
              "x-hub-signature-256": metaSignature(body, WHATSAPP.appSecret),
            }),
          );
        },
      ),
      fcOptions(),
    );
  });

  it("bad signatures are 401; the verify handshake refuses bad tokens", async () => {
    await fc.assert(
      fc.asyncProperty(
        payload,
        fc.option(
          fc.oneof(
            fc.constant("sha256=" + "0".repeat(64)),
            hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
          ),
          { nil: undefined },
        ),
        async (p, sig) => {
          const body = JSON.stringify(p) ?? "null";
          await check(`whatsapp bad signature ${sig}`, false, () =>
            post("/webhooks/whatsapp", body, {
              "content-type": "application/json",
              ...(sig === undefined ? {} : { "x-hub-signature-256": sig }),
            }),
          );
        },
      ),
      fcOptions(30),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("hub.mode", "hub.verify_token", "hub.challenge", "x"), hostileString), { maxLength: 4 }),
        async (pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          const res = await fetch(`${app.url}/webhooks/whatsapp?${qs}`, { headers: { "x-forwarded-for": clientIp() } });
          const { status } = await expectNo5xx(res, `whatsapp GET ${qs}`);
          expect([400, 403]).toContain(status);
        },
      ),
      fcOptions(30),
    );
  });
});

describe("fuzz: POST /webhooks/wechat", () => {
  const signedQuery = () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    return `timestamp=${timestamp}&nonce=${nonce}&signature=${wechatSignature(WECHAT.token, timestamp, nonce)}`;
  };
  const el = (name: string, v: string) => `<${name}><![CDATA[${v}]]></${name}>`;
  const hostileXml = fc.oneof(
    fc
      .tuple(hostileString, hostileString, fc.constantFrom("text", "event", "voice", "image", ""), fc.oneof(fc.integer(), hostileString))
      .map(
        ([from, content, type, id]) =>
          `<xml>${el("ToUserName", "gh_1")}${el("FromUserName", from)}<CreateTime>1700000000</CreateTime>${el("MsgType", type)}${el("Content", content)}<MsgId>${id}</MsgId></xml>`,
      ),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>',
      '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><FromUserName>a</FromUserName><Content>&xxe;</Content></xml>',
      "<!doctype xml><xml/>",
      "<xml><Content>&amp;&lt;&#0;&#x0;&#xD800;&unknown;</Content></xml>",
      "<xml>" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</xml>",
      "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>a\u0000b</Content></xml>",
      "<xml><xml><xml></xml></xml></xml>",
      "<xml><FromUserName><x>nested</x></FromUserName></xml>",
      "<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName><ToUserName>c</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>dup</Content></xml>",
      "<?xml-stylesheet href='x'?><xml/>",
      "<xml __proto__='1'><__proto__><polluted>1</polluted></__proto__></xml>",
    ),
  );

  it("signed XML pushes with hostile content, entities and DOCTYPEs: 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(hostileXml, async (xml) => {
        await check(`wechat ${xml.slice(0, 160)}`, true, () =>
          post(`/webhooks/wechat?${signedQuery()}`, xml, { "content-type": "text/xml" }),
        );
      }),
      fcOptions(),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("unsigned or wrongly signed pushes and handshakes are 401", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileXml,
        fc.array(fc.tuple(fc.constantFrom("signature", "timestamp", "nonce", "echostr", "encrypt_type"), hostileString), { maxLength: 4 }),
        async (xml, pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          await check(`wechat unsigned ${qs}`, false, () => post(`/webhooks/wechat?${qs}`, xml, { "content-type": "text/xml" }));
          const res = await fetch(`${app.url}/webhooks/wechat?${qs}`, { headers: { "x-forwarded-for": clientIp() } });
          const { status } = await expectNo5xx(res, `wechat GET ${qs}`);
          expect([400, 401]).toContain(status);
        },
      ),
      fcOptions(30),
    );
  });
});

describe("fuzz: POST /webhooks/email", () => {
  const header = fc.tuple(
    fc.constantFrom(
      "From",
      "To",
      "Subject",
      "Message-ID",
      "In-Reply-To",
      "References",
      "Content-Type",
      "Content-Transfer-Encoding",
      "Auto-Submitted",
      "Date",
    ),
    hostileString,
  );
  const mime = fc.oneof(
    fc
      .tuple(fc.array(header, { maxLength: 6 }), hostileString)
      .map(([hs, body]) => ["From: Ann <ann@example.com>", ...hs.map(([k, v]) => `${k}: ${v}`), "", body].join("\r\n")),
    fc.string({ maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("latin1")),
    fc.constantFrom(
      'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b', // unterminated
      "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n",
      "From: a@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
      "From: a@example.com\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nhello",
      "From: a@example.com\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script><p>hi</p>",
      "From: a@example.com\r\nSubject: " + "=?UTF-8?B?" + "A".repeat(3000) + "?=\r\n\r\nx",
      "From: =?utf-8?q?=00?= <a@example.com>\r\n\r\nnul in name",
      "From: a@example.com\r\n\r\nbody with a NUL \u0000 inside",
      'From: "x" <\u0000@example.com>\r\n\r\nbad address',
      "From: a@example.com\r\nMessage-ID: <\u0000@x>\r\n\r\nnul id",
      "From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\n" + "Content-Type: message/rfc822\r\n\r\n".repeat(200) + "x",
      "From: a@example.com\r\n" + "X-H: v\r\n".repeat(3000) + "\r\nmany headers",
      "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
        "--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n".repeat(300),
    ),
  );

  it("raw MIME bodies, malformed and hostile: 200/202 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(mime, async (raw) => {
        await check(`email ${JSON.stringify(raw.slice(0, 160))}`, true, () =>
          post("/webhooks/email", raw, { "content-type": "message/rfc822", authorization: `Bearer ${EMAIL.inboundToken}` }),
        );
      }),
      fcOptions(),
    );
  });

  it("a missing or wrong token is 401; an oversized body is 413", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(
          hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
          { nil: undefined },
        ),
        async (token) => {
          await check(`email token ${token}`, false, () =>
            post("/webhooks/email", "From: a@example.com\r\n\r\nhello", {
              "content-type": "message/rfc822",
              ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
            }),
          );
        },
      ),
      fcOptions(20),
    );
    for (const path of ["/webhooks/email", "/webhooks/twilio", "/webhooks/whatsapp", "/webhooks/wechat"]) {
      const before = await rowCounts(app.db);
      const res = await post(path, new Uint8Array(300 * 1024), {
        "content-type": "application/octet-stream",
        authorization: `Bearer ${EMAIL.inboundToken}`,
      });
      expect(res.status, path).toBe(413);
      await expectClientError(res, `${path} oversized`);
      expect(await rowCounts(app.db)).toEqual(before);
    }
    await expectHealthy(app.url);
  });
});

describe("fuzz: API channel (POST /api/v1/channels/api/messages)", () => {
  it("hostile bodies with a valid key: 201 or 4xx, refusals store nothing; bad keys are 401", async () => {
    const body = fc.oneof(
      fc
        .record(
          {
            sourceId: fc.oneof(fc.constantFrom("app-user-1", "app-user-2"), hostileString),
            messageId: fc.oneof(fc.uuid(), hostileString),
            content: fc.oneof(hostileString, fc.constantFrom("hello", "   ", "\n", "a\u0000b", "x".repeat(5000))),
            conversationId: fc.oneof(fc.uuid(), hostileString),
            contact: fc.oneof(
              fc.record(
                { name: hostileString, email: fc.oneof(fc.emailAddress(), hostileString), phone: hostileString },
                { requiredKeys: [] },
              ),
              hostileValue,
            ),
          },
          { requiredKeys: [] },
        )
        .map((b) => JSON.stringify(b)),
      fc.string({ maxLength: 200 }),
    );
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.constant("good") },
      { weight: 1, arbitrary: fc.constantFrom("", "bdk_wrong", "x".repeat(300)) },
    );
    await fc.assert(
      fc.asyncProperty(body, key, async (b, k) => {
        const auth = k === "good" ? apiKey : k;
        await check(`api channel ${k} ${b.slice(0, 160)}`, k === "good", () =>
          post("/api/v1/channels/api/messages", b, { "content-type": "application/json", authorization: `Bearer ${auth}` }),
        );
      }),
      { ...fcOptions(), examples: [[JSON.stringify({ sourceId: "app-user-9", messageId: "m-ws", content: "   " }), "good"]] },
    );
    await expectHealthy(app.url);
  });
});

describe("fuzz: unknown webhooks", () => {
  it("are a 404 in the error shape", async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), async (p) => {
        const res = await post(`/webhooks/zz${p}`, "x", { "content-type": "text/plain" });
        await expectClientError(res, `/webhooks/zz${p}`);
      }),
      fcOptions(20),
    );
    await expectHealthy(app.url);
  });
});
