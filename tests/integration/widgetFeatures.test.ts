/**
 * The widget's attachments, pre-chat form, "leave a message" when nobody is there,
 * and session revocation — through the real HTTP API and socket (PGlite, or
 * PostgreSQL + Redis when configured).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { connectWidget, emitAck, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { SYSTEM } from "../../server/actor.ts";
import { detectContentType, safeFileName } from "../../server/attachments/detectContentType.ts";
import { SMTPServer } from "smtp-server";
import { postMessage } from "../../server/commands/postMessage.ts";
import { deleteUnsentAttachments } from "../../server/attachments/commands/deleteUnsentAttachments.ts";
import { attachmentStore } from "../../server/attachments/AttachmentStore.ts";

let app: TestApp;
let admin: { cookie: string; csrf: string };
/** A local SMTP server: what BankDesk mails ends up here. */
let smtp: SMTPServer;
const mails: Array<{ to: string[]; raw: string }> = [];

// A real 1×1 PNG, a GIF header, a PDF header, and a Windows executable (MZ) pretending to be a PNG.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000200a1f0e5b40000000049454e44ae426082",
  "hex",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const EXE = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), Buffer.alloc(200, 0x41)]);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as { port: number }).port;
  app = await startTestApp({
    env: { MAX_ATTACHMENT_BYTES: "65536", SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Bayview Bank <service@bayviewbank.example>" },
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "wf-admin@example.com",
    name: "WF Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "wf-content@example.com",
    name: "WF Content",
    role: "content",
    password: "correct-horse-battery",
  });
  admin = await signInAgent(app, "wf-admin@example.com", "correct-horse-battery");
}, 120_000);
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

const upload = (token: string, data: Buffer, query = "", type = "application/octet-stream") =>
  fetch(`${app.url}/api/v1/widget/attachments${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": type },
    body: new Uint8Array(data),
  });

const session = async (body: Record<string, unknown>) => {
  const res = await fetch(`${app.url}/api/v1/widget/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { token: string; contact: { id: string } } };
};

describe("content type detection", () => {
  it("decides by magic bytes, never by name", () => {
    expect(detectContentType(PNG)).toBe("image/png");
    expect(detectContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe("image/jpeg");
    expect(detectContentType(Buffer.from("GIF89a....."))).toBe("image/gif");
    expect(detectContentType(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(detectContentType(PDF)).toBe("application/pdf");
    expect(detectContentType(EXE)).toBeUndefined();
    expect(detectContentType(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeUndefined();
    expect(detectContentType(Buffer.from("<html><script>alert(1)</script>"))).toBeUndefined();
  });

  it("cleans file names and gives them the real type's extension", () => {
    expect(safeFileName("../../etc/passwd", "image/png")).toBe("passwd.png");
    expect(safeFileName("C:\\Users\\me\\Statement March.PDF", "application/pdf")).toBe("Statement March.PDF");
    expect(safeFileName("photo.jpeg", "image/jpeg")).toBe("photo.jpeg");
    expect(safeFileName("invoice.pdf.exe", "application/pdf")).toBe("invoice.pdf.exe.pdf");
    expect(safeFileName("evil\u202egnp.exe", "image/png")).toBe("evilgnp.exe.png");
    expect(safeFileName('"><img src=x>.png', "image/png")).toBe("img src=x.png");
    expect(safeFileName("", "application/pdf")).toBe("document.pdf");
  });
});

describe("attachments", () => {
  it("uploads an image, sends it in a message, and serves it only to those allowed", async () => {
    const { socket, token, session: s } = await connectWidget(app);
    try {
      const res = await upload(token, PNG, "?name=receipt.png&clientId=up-1");
      expect(res.status).toBe(201);
      const { attachment } = (await res.json()) as {
        attachment: { id: string; name: string; contentType: string; size: number; url: string };
      };
      expect(attachment).toMatchObject({
        name: "receipt.png",
        contentType: "image/png",
        size: PNG.length,
        url: `/api/v1/attachments/${attachment.id}`,
      });

      // The same upload re-sent (lost response) is stored once.
      const again = await upload(token, PNG, "?name=receipt.png&clientId=up-1");
      expect(again.status).toBe(201);
      expect(((await again.json()) as { attachment: { id: string } }).attachment.id).toBe(attachment.id);

      // The uploader can read it before it is sent; nobody else can.
      const own = await fetch(`${app.url}${attachment.url}`, { headers: { authorization: `Bearer ${token}` } });
      expect(own.status).toBe(200);
      expect(own.headers.get("content-type")).toBe("image/png");
      expect(own.headers.get("x-content-type-options")).toBe("nosniff");
      expect(own.headers.get("content-disposition")).toMatch(/^inline; filename="receipt.png"/);
      expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);

      const other = await connectWidget(app);
      other.socket.disconnect();
      const stranger = await fetch(`${app.url}${attachment.url}`, { headers: { authorization: `Bearer ${other.token}` } });
      expect(stranger.status).toBe(404);
      expect((await fetch(`${app.url}${attachment.url}`)).status).toBe(401);

      // Another customer cannot send it in their message either.
      const { socket: otherSocket } = await connectWidget(app, { token: other.token });
      const stolen = await emitAck<{ ok: boolean; error?: { code: string } }>(otherSocket, "message:send", {
        clientId: "steal-1",
        content: "",
        attachmentIds: [attachment.id],
      });
      otherSocket.disconnect();
      expect(stolen).toMatchObject({ ok: false, error: { code: "not_found" } });

      // The message carries it, stored before the acknowledgement; a re-send is stored once.
      const payload = { clientId: "att-msg-1", content: "Here is my receipt", attachmentIds: [attachment.id] };
      const sent = await emitAck<{ ok: boolean; message: { id: string; conversationId: string; attachments: unknown[] } }>(
        socket,
        "message:send",
        payload,
      );
      expect(sent.ok).toBe(true);
      expect(sent.message.attachments).toEqual([attachment]);
      const resent = await emitAck<{ ok: boolean; duplicate: boolean; message: { id: string } }>(socket, "message:send", {
        ...payload,
        conversationId: sent.message.conversationId,
      });
      expect(resent).toMatchObject({ ok: true, duplicate: true, message: { id: sent.message.id } });
      const { rows } = await app.db.query<{ message_id: string; conversation_id: string }>(
        "SELECT message_id, conversation_id FROM attachments WHERE id = $1",
        [attachment.id],
      );
      expect(rows[0]).toEqual({ message_id: sent.message.id, conversation_id: sent.message.conversationId });

      // Agents see it in the conversation and can open it with their console session.
      const thread = await fetch(`${app.url}/api/v1/conversations/${sent.message.conversationId}/messages`, {
        headers: { cookie: admin.cookie },
      });
      const messages = ((await thread.json()) as { items?: Array<{ id: string; attachments: unknown[] }> }).items ?? [];
      expect(messages.find((m) => m.id === sent.message.id)?.attachments).toEqual([attachment]);
      const byAgent = await fetch(`${app.url}${attachment.url}`, { headers: { cookie: admin.cookie } });
      expect(byAgent.status).toBe(200);
      expect(s).toBeTruthy();
    } finally {
      socket.disconnect();
    }
  });

  it("deletes files uploaded and never sent after a day, and keeps sent and recent ones", async () => {
    const { socket, token } = await connectWidget(app);
    try {
      const ids: Record<string, string> = {};
      for (const name of ["abandoned", "sent", "fresh"]) {
        const res = await upload(token, PNG, `?name=${name}.png`);
        expect(res.status).toBe(201);
        ids[name] = ((await res.json()) as { attachment: { id: string } }).attachment.id;
      }
      const sent = await emitAck<{ ok: boolean }>(socket, "message:send", { clientId: "keep-1", content: "", attachmentIds: [ids.sent] });
      expect(sent.ok).toBe(true);
      await app.db.query("UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1::uuid[])", [
        [ids.abandoned, ids.sent],
      ]);
      const store = attachmentStore(app.ctx.config);
      expect((await store.get(ids.abandoned!)).equals(PNG)).toBe(true);

      expect(await deleteUnsentAttachments(app.ctx, { batch: 1 })).toBeGreaterThanOrEqual(1);
      const { rows } = await app.db.query<{ id: string }>("SELECT id FROM attachments WHERE id = ANY($1::uuid[])", [Object.values(ids)]);
      expect(rows.map((r) => r.id).sort()).toEqual([ids.sent, ids.fresh].sort());
      await expect(store.get(ids.abandoned!)).rejects.toThrow(/ENOENT/);
      expect((await store.get(ids.sent!)).equals(PNG)).toBe(true);
      const gone = await fetch(`${app.url}/api/v1/attachments/${ids.abandoned}`, { headers: { authorization: `Bearer ${token}` } });
      expect(gone.status).toBe(404);
    } finally {
      socket.disconnect();
    }
  });

  it("downloads PDFs as attachments and refuses disguised, empty, oversized and multipart files", async () => {
    const { socket, token } = await connectWidget(app);
    socket.disconnect();
    const pdf = await upload(token, PDF, "?name=statement.pdf", "application/pdf");
    expect(pdf.status).toBe(201);
    const { attachment } = (await pdf.json()) as { attachment: { url: string } };
    const file = await fetch(`${app.url}${attachment.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="statement.pdf"/);
    expect(file.headers.get("content-security-policy")).toContain("sandbox");

    const exe = await upload(token, EXE, "?name=photo.png", "image/png");
    expect(exe.status).toBe(415);
    expect(await exe.json()).toEqual({
      error: { code: "unsupported_media_type", message: "Only images (PNG, JPEG, GIF, WebP) and PDF documents can be attached" },
    });
    expect((await upload(token, Buffer.alloc(0), "?name=empty.png")).status).toBe(400);
    const big = await upload(token, Buffer.concat([PNG, Buffer.alloc(70_000)]), "?name=big.png");
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toBe("A file may be at most 64 KB");
    const multipart = new FormData();
    multipart.append("file", new Blob([PNG]), "a.png");
    const mp = await fetch(`${app.url}/api/v1/widget/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: multipart,
    });
    expect(mp.status).toBe(400);
    expect((await upload("not-a-token", PNG)).status).toBe(401);
    const { rows } = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM attachments WHERE name IN ('photo.png', 'big.png', 'empty.png')",
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe("pre-chat form", () => {
  it("is returned until filled in, validated on the server and saved on the contact", async () => {
    await createInbox(app.ctx, {
      actor: SYSTEM,
      slug: "prechat",
      name: "Pre-chat",
      channel: "web",
      settings: {
        preChatForm: {
          enabled: true,
          fields: [
            { name: "name", required: true },
            { name: "email", required: true },
            { name: "phone", required: false },
          ],
        },
      },
    });
    const first = await session({ inbox: "prechat" });
    expect(first.status).toBe(201);
    expect(first.body.preChat).toEqual({
      fields: [
        { name: "name", required: true },
        { name: "email", required: true },
        { name: "phone", required: false },
      ],
    });
    const submit = (body: unknown, token = first.body.token) =>
      fetch(`${app.url}/api/v1/widget/prechat`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const missing = await submit({ name: "Chen Jie" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { details: Array<{ path: string }> } }).error.details[0]!.path).toBe("email");
    expect((await submit({ name: "Chen Jie", email: "not-an-email" })).status).toBe(400);
    expect((await submit({ name: "<script>x</script>", email: "chen@example.com" })).status).toBe(400);
    expect((await submit({ name: "Chen Jie", email: "chen@example.com", phone: "call me" })).status).toBe(400);
    expect((await submit({ name: "Chen Jie", email: "chen@example.com", account: "123" })).status).toBe(400);

    const ok = await submit({ name: " Chen Jie ", email: "Chen@Example.com", phone: "+86 138 0000 0000" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      contact: { id: first.body.contact.id, name: "Chen Jie", email: "chen@example.com", phone: "+86 138 0000 0000" },
    });
    // Not asked again in this browser.
    const again = await session({ inbox: "prechat", token: first.body.token });
    expect(again.body.contact.id).toBe(first.body.contact.id);
    expect(again.body.preChat).toBeNull();
    // An inbox without a form never asks.
    expect((await session({ inbox: "website" })).body.preChat).toBeNull();
  });
});

describe("leave a message when nobody is there", () => {
  it("reports availability, saves the e-mail, labels the conversation for follow-up, once", async () => {
    await app.db.query("UPDATE agents SET availability = 'offline'");
    const { socket, token, session: s } = await connectWidget(app);
    try {
      expect(s.availability).toMatchObject({ online: false, agentsOnline: false });
      const avail = await fetch(`${app.url}/api/v1/widget/availability`, { headers: { authorization: `Bearer ${token}` } });
      expect(await avail.json()).toMatchObject({ online: false, agentsOnline: false });

      const sent = await emitAck<{ ok: boolean; message: { conversationId: string } }>(socket, "message:send", {
        clientId: "fu-msg-1",
        content: "My card was declined abroad",
      });
      const conversationId = sent.message.conversationId;
      const bad = await emitAck<{ ok: boolean; error: { code: string } }>(socket, "conversation:follow_up", {
        conversationId,
        clientId: "fu-1",
        email: "nope",
      });
      expect(bad).toMatchObject({ ok: false, error: { code: "validation_error" } });
      const req = { conversationId, clientId: "fu-1", email: "Zhou.Min@Example.com" };
      const r = await emitAck<{ ok: boolean; message: { type: string; attributes: Record<string, unknown> } }>(
        socket,
        "conversation:follow_up",
        req,
      );
      expect(r).toMatchObject({
        ok: true,
        message: { type: "activity", attributes: { kind: "follow_up", email: "zhou.min@example.com" } },
      });
      await emitAck(socket, "conversation:follow_up", req);

      const contact = await app.db.query<{ email: string }>("SELECT email FROM contacts WHERE id = $1", [(s.contact as { id: string }).id]);
      expect(contact.rows[0]!.email).toBe("zhou.min@example.com");
      const conv = await app.db.query<{ labels: string[] }>("SELECT labels FROM conversations WHERE id = $1", [conversationId]);
      expect(conv.rows[0]!.labels).toEqual(["follow-up"]);
      const lines = await app.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND client_id = 'fu-1'", [conversationId]);
      expect(lines.rows).toHaveLength(1);
      // Agents see the label and the address.
      const seen = await fetch(`${app.url}/api/v1/conversations/${conversationId}`, { headers: { cookie: admin.cookie } });
      expect(await seen.json()).toMatchObject({ labels: ["follow-up"] });

      // Someone else's conversation: not found.
      const other = await connectWidget(app);
      const foreign = await emitAck(other.socket, "conversation:follow_up", { conversationId, clientId: "fu-2", email: "x@example.com" });
      other.socket.disconnect();
      expect(foreign).toMatchObject({ ok: false, error: { code: "not_found" } });
    } finally {
      socket.disconnect();
    }
  });
});

describe("widget session revocation", () => {
  it("shutdown revokes the token: refused on REST and socket with a clear error, live sockets closed", async () => {
    const { socket, token } = await connectWidget(app);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    const res = await fetch(`${app.url}/api/v1/widget/sessions/current`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    expect(await closed).toBe("io server disconnect");

    const rest = await fetch(`${app.url}/api/v1/widget/availability`, { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(401);
    expect(await rest.json()).toEqual({
      error: {
        code: "unauthenticated",
        message: "This chat session has ended. Please start a new conversation.",
        details: { reason: "session_revoked" },
      },
    });
    const again = connect(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    const err = await new Promise<Error & { data?: unknown }>((resolve) => again.once("connect_error", resolve));
    again.close();
    expect(err.message).toBe("session_revoked");
    expect(err.data).toMatchObject({ code: "session_revoked" });
    // A new session from the revoked token starts afresh: a new contact.
    const fresh = await session({ inbox: "website", token });
    expect(fresh.status).toBe(201);
    expect(fresh.body.token).not.toBe(token);
  });

  it("lets staff end every session of a contact; content editors may not", async () => {
    const a = await connectWidget(app);
    const b = await connectWidget(app, { token: a.token });
    const contactId = (a.session.contact as { id: string }).id;
    expect((b.session.contact as { id: string }).id).toBe(contactId);
    const content = await signInAgent(app, "wf-content@example.com", "correct-horse-battery");
    const revoke = (auth: { cookie: string; csrf: string }, id = contactId) =>
      fetch(`${app.url}/api/v1/contacts/${id}/widget-sessions/revoke`, {
        method: "POST",
        headers: { cookie: auth.cookie, "x-csrf-token": auth.csrf },
      });
    expect((await revoke(content)).status).toBe(403);
    // An agent who cannot see the customer (no conversation they may read) cannot end their sessions.
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "wf-teamed@example.com",
      name: "Teamed Agent",
      role: "agent",
      password: "correct-horse-battery",
      teamIds: [(await createTeam(app.ctx, { actor: SYSTEM, name: "Elsewhere", slug: "wf-elsewhere" })).id],
    });
    const outsider = await signInAgent(app, "wf-teamed@example.com", "correct-horse-battery");
    await emitAck(a.socket, "message:send", { clientId: "rv-1", content: "hello" });
    const { rows: convs } = await app.db.query<{ id: string }>("SELECT id FROM conversations WHERE contact_id = $1", [contactId]);
    const cardsTeam = await createTeam(app.ctx, { actor: SYSTEM, name: "Other team", slug: "wf-other" });
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [convs[0]!.id, cardsTeam.id]);
    expect((await revoke(outsider)).status).toBe(404);
    const closed = Promise.all([a, b].map((c) => new Promise((resolve) => c.socket.once("disconnect", resolve))));
    const res = await revoke(admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    await closed;
    for (const t of [a.token, b.token]) {
      const r = await fetch(`${app.url}/api/v1/widget/availability`, { headers: { authorization: `Bearer ${t}` } });
      expect(r.status).toBe(401);
    }
    expect((await revoke(admin, "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    const { rows } = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'widget.sessions_revoked' AND target_id = $1", [contactId]);
    expect(rows).toHaveLength(1);
  });
});

describe("transcript by e-mail", () => {
  it("mails the customer's conversation, without private notes and with card numbers masked, at most every two minutes", async () => {
    const { socket } = await connectWidget(app);
    try {
      const sent = await emitAck<{ ok: boolean; message: { conversationId: string } }>(socket, "message:send", {
        clientId: "tr-1",
        content: "My card 6222 0212 3456 7890 128 was charged twice",
      });
      const conversationId = sent.message.conversationId;
      await postMessage(app.ctx, {
        conversationId,
        messageType: "outgoing",
        senderType: "agent",
        content: "NOTE: check the ledger",
        private: true,
      });
      await postMessage(app.ctx, {
        conversationId,
        messageType: "outgoing",
        senderType: "agent",
        content: "We have refunded the second charge.",
      });

      const r = await emitAck(socket, "conversation:transcript", { conversationId, email: "li.lei@example.com" });
      expect(r).toEqual({ ok: true, sent: true });
      await expect.poll(() => mails.length).toBe(1);
      const mail = mails[0]!;
      expect(mail.to).toEqual(["li.lei@example.com"]);
      const body = mail.raw.replace(/=\r?\n/g, "");
      expect(body).toContain("We have refunded the second charge.");
      expect(body).toContain("You: My card");
      expect(body).not.toContain("6222 0212 3456 7890 128");
      expect(body).not.toContain("NOTE: check the ledger");
      expect(body).toMatch(/Subject: .*your conversation #\d+/);

      const again = await emitAck(socket, "conversation:transcript", { conversationId, email: "li.lei@example.com" });
      expect(again).toMatchObject({ ok: false, error: { code: "rate_limited" } });
      const other = await connectWidget(app);
      const foreign = await emitAck(other.socket, "conversation:transcript", { conversationId, email: "x@example.com" });
      other.socket.disconnect();
      expect(foreign).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(mails).toHaveLength(1);
    } finally {
      socket.disconnect();
    }
  });
});
