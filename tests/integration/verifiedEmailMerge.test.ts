/**
 * Automatic merge on a verified identity (issue #17 §3): a customer signed in on the
 * widget whose page signs their e-mail address, and the same customer's e-mail that the
 * bank's mail relay authenticated (DMARC pass in its Authentication-Results), become one
 * customer by themselves, in either order: audited, undoable like a merge by hand, and
 * not made again once undone. Unverified claims (a typed address, an unauthenticated or
 * forged mail) never merge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, demoIdentityHash, signInAgent, startTestApp, type Json, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { emailIdentityHash, openIdentitySecret } from "../../server/auth/identity.ts";
import { createChannelInbox } from "./channels/channelHelpers.ts";
import { anonymiseContact } from "../../server/retention/purgeConversation.ts";

type Session = { cookie: string; csrf: string };

let app: TestApp;
let admin: Session;
let secret = "";
const RELAY = "mx.bank.example";
const EMAIL = { address: "help@bank.example", inboundToken: "verified-merge-inbound-token-0123", authServId: RELAY };
const PASSWORD = "verified-merge-password";
const call = (method: string, path: string, body?: unknown) => callApi(app, admin, method, path, body);

beforeAll(async () => {
  app = await startTestApp();
  await createChannelInbox(app.ctx, "email", "mail", EMAIL, { botEnabled: false });
  await createAgent(app.ctx, { actor: SYSTEM, email: "sup@merge.example", name: "Sup", role: "admin", password: PASSWORD });
  admin = await signInAgent(app, "sup@merge.example", PASSWORD);
  const { rows } = await app.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE slug = 'website'");
  secret = openIdentitySecret(app.ctx.secrets, rows[0]!.identity_secret);
});
afterAll(() => app?.close());

/** Mail from `from` as the relay posts it; `auth`: the Authentication-Results line it prepended, if any. */
async function mail(from: string, id: string, auth?: string) {
  const raw = [
    ...(auth ? [`Authentication-Results: ${auth}`] : []),
    `From: Mei Lin <${from}>`,
    `To: ${EMAIL.address}`,
    `Subject: Card question ${id}`,
    `Message-ID: <${id}@mail.example>`,
    "Date: Tue, 24 Nov 2026 08:00:00 +0800",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "Why was my card declined yesterday?",
    "",
  ].join("\r\n");
  const res = await fetch(`${app.url}/webhooks/email/mail`, {
    method: "POST",
    headers: { "content-type": "message/rfc822", authorization: `Bearer ${EMAIL.inboundToken}` },
    body: raw,
  });
  expect(res.status).toBe(200);
  const { conversationId } = (await res.json()) as { conversationId: string };
  return conversationId;
}
const dmarcPass = (domain = "mail.example") => `${RELAY}; spf=pass smtp.mailfrom=${domain}; dmarc=pass (p=reject) header.from=${domain}`;

/** A widget session of bank customer `userId`; `email` signed by the bank's page unless `signed` is false. */
async function widget(userId: string, email?: string, opts: { signed?: boolean; emailHash?: string; identity?: boolean } = {}) {
  const body: Json = { inbox: "website", ...(email ? { email } : {}) };
  if (opts.identity !== false) Object.assign(body, { userId, identityHash: await demoIdentityHash(app.ctx, userId) });
  if (email && opts.signed !== false) body.emailHash = opts.emailHash ?? emailIdentityHash(userId, email, secret);
  const res = await fetch(`${app.url}/api/v1/widget/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const contactOf = async (conversationId: string) =>
  (await app.db.query<{ contact_id: string }>("SELECT contact_id FROM conversations WHERE id = $1", [conversationId])).rows[0]!.contact_id;
const mergesInto = async (survivorId: string) =>
  (await app.db.query<Json>("SELECT * FROM contact_merges WHERE survivor_id = $1 ORDER BY merged_at", [survivorId])).rows;

describe("automatic merge on a verified e-mail address", () => {
  it("an authenticated e-mail, then the signed-in customer on the widget: one customer, audited, undoable, not merged again", async () => {
    const mailConv = await mail("mei.lin@mail.example", "m1", dmarcPass());
    const mailContact = await contactOf(mailConv);

    const session = await widget("C2001", "Mei.Lin@Mail.example");
    expect(session.status).toBe(201);
    const customer = session.body.contact.id as string;
    expect(await contactOf(mailConv)).toBe(customer);

    const [merge] = await mergesInto(customer);
    expect(merge).toMatchObject({
      merged_id: mailContact,
      merged_by: null,
      automatic: { reason: "verified_email", methods: ["email_authentication", "widget_identity"] },
      undone_at: null,
    });
    const audit = await app.db.query<Json>("SELECT actor_type, data FROM audit_log WHERE action = 'contact.merged' AND target_id = $1", [
      customer,
    ]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_type: "system", data: { mergedId: mailContact, automatic: { reason: "verified_email" } } });
    // No address in the audit record: ids and how it was proved.
    expect(JSON.stringify(audit.rows[0]!.data)).not.toContain("mei.lin");

    // One timeline in the profile, the merge marked automatic.
    const profile = await call("GET", `/contacts/${customer}`);
    expect(profile.body.conversations.map((c: Json) => c.id)).toContain(mailConv);
    expect(profile.body.merges[0]).toMatchObject({ id: merge!.id, mergedBy: null, automatic: { reason: "verified_email" } });
    // Her next mail goes straight to her (the e-mail identity moved with the merge).
    expect(await contactOf(await mail("mei.lin@mail.example", "m2", dmarcPass()))).toBe(customer);

    // A wrong merge is undone as one by hand; the same proofs do not merge that pair again.
    expect((await call("POST", `/contact-merges/${merge!.id}/undo`)).status).toBe(200);
    expect(await contactOf(mailConv)).toBe(mailContact);
    expect(await contactOf(await mail("mei.lin@mail.example", "m3", dmarcPass()))).toBe(mailContact);
    expect((await widget("C2001", "mei.lin@mail.example")).status).toBe(201);
    expect(await contactOf(mailConv)).toBe(mailContact);
    expect((await mergesInto(customer)).filter((m) => !m.undone_at)).toEqual([]);
  });

  it("the signed-in customer first, then an authenticated e-mail from the address: merged as it arrives", async () => {
    const customer = (await widget("C2002", "wang.fang@mail.example")).body.contact.id as string;
    const mailConv = await mail(
      "wang.fang@mail.example",
      "w1",
      `${RELAY} 1; dkim=pass header.d=mail.example; dmarc=pass header.from=mail.example`,
    );
    expect(await contactOf(mailConv)).toBe(customer);
    expect(await mergesInto(customer)).toHaveLength(1);
  });

  it("never merges on an unverified claim", async () => {
    const customer = (await widget("C2003", "zhao.lei@mail.example")).body.contact.id as string;
    // Mail without the relay's result, with another relay's, with DMARC failed, or passed for another domain.
    const unauthenticated = [
      await mail("zhao.lei@mail.example", "z1"),
      await mail("zhao.lei@mail.example", "z2", `mx.elsewhere.example; dmarc=pass header.from=mail.example`),
      await mail("zhao.lei@mail.example", "z3", `${RELAY}; spf=pass smtp.mailfrom=mail.example; dmarc=fail header.from=mail.example`),
      await mail("zhao.lei@mail.example", "z4", dmarcPass("other.example")),
    ];
    for (const conv of unauthenticated) expect(await contactOf(conv)).not.toBe(customer);
    expect(await mergesInto(customer)).toEqual([]);

    // An address the page did not sign (typed, or passed without its hash) proves nothing.
    const typed = (await widget("C2004", "qian.yu@mail.example", { signed: false })).body.contact.id as string;
    const qianMail = await mail("qian.yu@mail.example", "q1", dmarcPass());
    expect(await contactOf(qianMail)).not.toBe(typed);
    expect(await mergesInto(typed)).toEqual([]);

    // A wrong signature, or one without the signed-in identity, is refused and audited.
    const forged = await widget("C2005", "qian.yu@mail.example", { emailHash: emailIdentityHash("C2004", "qian.yu@mail.example", secret) });
    expect(forged.status).toBe(401);
    expect((await widget("C2005", "qian.yu@mail.example", { identity: false })).status).toBe(401);
    const rejected = await app.db.query<Json>("SELECT data FROM audit_log WHERE action = 'widget.identity_rejected' ORDER BY id");
    expect(rejected.rows.map((r) => r.data.field)).toEqual(["email", "email"]);
    expect(await contactOf(qianMail)).not.toBe(typed);
  });

  it("leaves alone an address two different bank customers hold", async () => {
    const a = (await widget("C2006", "shared@mail.example")).body.contact.id as string;
    const b = (await widget("C2007", "shared@mail.example")).body.contact.id as string;
    const conv = await mail("shared@mail.example", "s1", dmarcPass());
    expect([a, b]).not.toContain(await contactOf(conv));
    expect([...(await mergesInto(a)), ...(await mergesInto(b))]).toEqual([]);
  });

  it("forgets a customer's verified addresses when the customer is erased", async () => {
    const customer = (await widget("C2008", "erase.me@mail.example")).body.contact.id as string;
    const held = () => app.db.query("SELECT 1 FROM contact_verified_emails WHERE contact_id = $1", [customer]);
    expect((await held()).rowCount).toBe(1);
    await app.db.transaction((tx) => anonymiseContact(tx, customer));
    expect((await held()).rowCount).toBe(0);
    // Their address no longer draws mail into the erased contact.
    const conv = await mail("erase.me@mail.example", "e1", dmarcPass());
    expect(await contactOf(conv)).not.toBe(customer);
  });
});
