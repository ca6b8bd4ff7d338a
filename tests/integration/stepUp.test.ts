import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SMTPServer } from "smtp-server";
import {
  callApi,
  connectWidget,
  connectVerifiedCustomer,
  emitAck,
  nextEvent,
  signInAgent,
  startTestApp,
  type TestApp,
} from "../helpers/testApp.ts";
import { createChannelInbox, startRecorder, type Recorder } from "./channels/channelHelpers.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { MAX_CHALLENGES_PER_HOUR } from "../../server/stepup/oneTimeCode.ts";

/**
 * Step-up verification in the conversation (issue #16 §3), through the whole server:
 * the widget socket, the assistant's reply job, the code sent to the phone or e-mail
 * address the bank has on file (the demo phone, a Twilio double, a test SMTP server),
 * the code typed back over the socket, and the action resuming with its confirmation.
 */
let app: TestApp;
let twilio: Recorder;
let smtp: SMTPServer;
const mails: Array<{ to: string[]; raw: string }> = [];
let agent: { cookie: string; csrf: string };

beforeAll(async () => {
  twilio = await startRecorder();
  twilio.respond = () => ({ status: 201, body: { sid: "SM" + "0".repeat(32) } });
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
    env: {
      TWILIO_API_BASE_URL: twilio.url,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Bayview Bank <service@bayviewbank.example>",
    },
  });
  await createChannelInbox(app.ctx, "sms", "sms-otp", {
    accountSid: "AC" + "1".repeat(32),
    authToken: "twilio-auth-token-123456",
    from: "+15550001111",
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "su-admin@example.com",
    name: "SU Admin",
    role: "admin",
    password: "correct-horse-battery",
  });
  agent = await signInAgent(app, "su-admin@example.com", "correct-horse-battery");
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await app?.close();
  await twilio?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

type Msg = {
  id: string;
  conversationId: string;
  content: string;
  private?: boolean;
  sender: { type: string };
  attributes: Record<string, unknown>;
};
type StepUp = { id: string; status: string; attemptsLeft: number; destination: string; channel: string; sendsLeft: number };
type VerifyAck = { ok: boolean; outcome?: string; stepUp?: StepUp; error?: { code: string; message: string } };
type Socket = Awaited<ReturnType<typeof connectWidget>>["socket"];

async function customer(id: string, extra: Record<string, unknown> = {}) {
  return (await connectVerifiedCustomer(app, id, extra)).socket;
}

async function ask(socket: Socket, content: string, conversationId?: string) {
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private);
  const ack = await emitAck<{ ok: boolean; message?: Msg }>(socket, "message:send", {
    conversationId,
    clientId: crypto.randomUUID(),
    content,
  });
  expect(ack.ok).toBe(true);
  return { ack: ack.message!, reply: await botReply };
}

async function setStepUp(stepUp: Record<string, unknown> | null) {
  const { rows } = await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'");
  const res = await callApi(app, agent, "PATCH", `/admin/inboxes/${rows[0]!.id}`, { settings: { stepUp } });
  return { status: res.status, body: res.body as Record<string, unknown> };
}

/** Records every call to the process's logger (whatever its level lets out) as JSON text. */
function recordLogs(): () => string[] {
  const lines: string[] = [];
  for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
    vi.spyOn(app.ctx.logger, level).mockImplementation(((...args: unknown[]) => {
      lines.push(JSON.stringify(args, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
    }) as never);
  }
  return () => lines;
}

const demoTexts = async (userId: string) =>
  ((await (await fetch(`${app.url}/api/v1/demo/phone?userId=${userId}`)).json()) as { texts: Array<{ to: string; text: string }> }).texts;
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];
const cardStatus = async (customerId: string, kind: "debit" | "credit") =>
  (
    await app.db.query<{ status: string }>("SELECT status FROM demo_cards WHERE customer_id = $1 AND kind = $2 ORDER BY last4 LIMIT 1", [
      customerId,
      kind,
    ])
  ).rows[0]!.status;
const audits = async (action: string, conversationId: string) =>
  (await app.db.query("SELECT 1 FROM audit_log WHERE action = $1 AND data->>'conversationId' = $2", [action, conversationId])).rowCount;

describe("step-up verification (the demo inbox: high risk needs a code, sent to the demo phone)", () => {
  it("asks for a code before a freeze, refuses a wrong one, freezes after the right one and its yes; a replayed code is refused", async () => {
    const logged = recordLogs();
    const socket = await customer("C-1001");
    // Low risk: the page identity is enough.
    const balance = await ask(socket, "what's my balance?");
    expect(balance.reply.content).toContain("Here are your balances");
    const conversationId = balance.ack.conversationId;

    const asked = await ask(socket, "please freeze my debit card", conversationId);
    expect(asked.reply.content).toMatch(
      /^For your security I need to check it's you before I freeze your card\. I've sent a 6-digit code to •••• 8001/,
    );
    const stepUp = asked.reply.attributes.stepUp as StepUp;
    expect(asked.reply.attributes.kind).toBe("step_up");
    expect(stepUp).toMatchObject({ status: "pending", attemptsLeft: 5, destination: "•••• 8001", channel: "demo_phone" });
    expect(await cardStatus("C-1001", "debit")).toBe("active");
    const [text] = await demoTexts("C-1001");
    expect(text!.text).toMatch(/is your code to freeze your card in our chat\. It expires in 5 minutes/);
    const code = codeIn(text!.text)!;

    // The code is nowhere in BankDesk's own records: not in a message, the bot's state, the audit log or a job;
    // nor in anything logged (every call to the process's logger is recorded from the start of this test).
    expect(logged().some((line) => line.includes(code))).toBe(false);
    // Stored records:
    for (const table of ["messages", "conversations", "audit_log", "step_up_challenges", "queued_jobs"]) {
      const { rows } = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE $1`, [`%${code}%`]);
      expect(rows[0]!.n, table).toBe(0);
    }
    expect(await audits("stepup.requested", conversationId)).toBe(1);
    expect(await audits("stepup.sent", conversationId)).toBe(1);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const bad = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId: stepUp.id, code: wrong });
    expect(bad).toMatchObject({ ok: true, outcome: "wrong", stepUp: { attemptsLeft: 4, status: "pending" } });
    expect(await audits("stepup.failed", conversationId)).toBe(1);
    const malformed = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId: stepUp.id, code: "12ab56" });
    expect(malformed.error?.code).toBe("validation_error");

    // Typed into the chat instead: not read as a question, pointed at the box.
    const typed = await ask(socket, code, conversationId);
    expect(typed.reply.content).toMatch(/^Please type the code in the code box/);

    const resumed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private && m.content.includes("confirmed"));
    const ok = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId: stepUp.id, code });
    expect(ok).toMatchObject({ ok: true, outcome: "verified", stepUp: { status: "verified" } });
    expect((await resumed).content).toMatch(/^Thank you, that's confirmed\.\n\nDo you want me to freeze your card ending 5678\?/);
    expect(await cardStatus("C-1001", "debit")).toBe("active");
    const done = await ask(socket, "yes", conversationId);
    expect(done.reply.content).toMatch(/^Done — your card ending 5678 is now frozen/);
    expect(await cardStatus("C-1001", "debit")).toBe("frozen");
    expect(await audits("stepup.succeeded", conversationId)).toBe(1);

    // Agents have a private note of it.
    const note = await app.db.query<{ content: string }>("SELECT content FROM messages WHERE conversation_id = $1 AND private", [
      conversationId,
    ]);
    expect(note.rows.map((r) => r.content)).toEqual([
      "Step-up verification passed: one-time code by the demo phone to •••• 8001, to freeze card.",
    ]);

    const replay = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId: stepUp.id, code });
    expect(replay).toMatchObject({ ok: true, outcome: "closed" });

    // Within the window the customer is not asked again.
    const unfreeze = await ask(socket, "unfreeze my debit card", conversationId);
    expect(unfreeze.reply.content).toMatch(/^Do you want me to unfreeze your card ending 5678\?/);
    await ask(socket, "yes", conversationId);
    expect(await cardStatus("C-1001", "debit")).toBe("active");

    // The console's customer panel: verified by the page identity and by a code, when and how.
    const v = (await (
      await fetch(`${app.url}/api/v1/conversations/${conversationId}/verification`, { headers: { cookie: agent.cookie } })
    ).json()) as { identity: string; stepUp: { channel: string; destination: string; verifiedAt: string; current: boolean } };
    expect(v).toMatchObject({ identity: "signed", stepUp: { channel: "demo_phone", destination: "•••• 8001", current: true } });
    expect(logged().some((line) => line.includes(code))).toBe(false);
    socket.disconnect();
  });

  it("refuses an expired code, sends a new one on request, and locks after five wrong codes", async () => {
    const socket = await customer("C-1002");
    const asked = await ask(socket, "freeze my debit card");
    const conversationId = asked.ack.conversationId;
    const challengeId = (asked.reply.attributes.stepUp as StepUp).id;
    const first = codeIn((await demoTexts("C-1002"))[0]!.text)!;

    // Five minutes later (the clock moved by moving the challenge's times back).
    await app.db.query(
      "UPDATE step_up_challenges SET expires_at = now() - interval '1 second', sent_at = now() - interval '301 seconds' WHERE id = $1",
      [challengeId],
    );
    const late = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code: first });
    expect(late).toMatchObject({ ok: true, outcome: "expired", stepUp: { status: "expired" } });
    expect(await audits("stepup.expired", conversationId)).toBe(1);
    expect(await cardStatus("C-1002", "debit")).toBe("active");

    const resent = await emitAck<VerifyAck>(socket, "stepup:resend", { conversationId, challengeId });
    expect(resent).toMatchObject({ ok: true, stepUp: { status: "pending", sendsLeft: 1 } });
    // Not again at once.
    const tooSoon = await emitAck<VerifyAck>(socket, "stepup:resend", { conversationId, challengeId });
    expect(tooSoon.error?.code).toBe("rate_limited");
    const second = codeIn((await demoTexts("C-1002"))[0]!.text)!;
    // The old code no longer works (unless the new one happens to be the same).
    if (second !== first) {
      const old = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code: first });
      expect(old.outcome).toBe("wrong");
    }
    const attemptsSoFar = second !== first ? 1 : 0;
    const wrong = String((Number(second) + 1) % 1_000_000).padStart(6, "0");
    for (let i = attemptsSoFar; i < 4; i++) {
      expect((await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code: wrong })).outcome).toBe("wrong");
    }
    const fifth = await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code: wrong });
    expect(fifth).toMatchObject({ outcome: "locked", stepUp: { status: "locked", attemptsLeft: 0 } });
    // Locked: even the right code is refused now, and no new code is sent for it.
    expect((await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code: second })).outcome).toBe("locked");
    expect((await emitAck<VerifyAck>(socket, "stepup:resend", { conversationId, challengeId })).error?.code).toBe("conflict");
    expect(await cardStatus("C-1002", "debit")).toBe("active");

    // Another customer cannot use (or probe) this challenge.
    const other = await customer("C-1001");
    const theirs = await emitAck<VerifyAck>(other, "stepup:verify", { conversationId, challengeId, code: second });
    expect(theirs.error?.code).toBe("not_found");
    other.disconnect();
    socket.disconnect();
  });

  it("limits the codes one conversation can have sent in an hour", async () => {
    const socket = await customer("C-1002");
    const first = await ask(socket, "freeze my debit card");
    const conversationId = first.ack.conversationId;
    for (let i = 1; i < MAX_CHALLENGES_PER_HOUR; i++) {
      expect((await ask(socket, "freeze my debit card", conversationId)).reply.attributes.kind).toBe("step_up");
    }
    const refused = await ask(socket, "freeze my debit card", conversationId);
    expect(refused.reply.content).toMatch(/^Several codes were sent in this chat in the last hour/);
    expect(refused.reply.attributes.stepUp).toBeUndefined();
    expect(await audits("stepup.refused", conversationId)).toBe(1);
    socket.disconnect();
  });
});

describe("step-up settings and channels", () => {
  it("validates the inbox's step-up settings", async () => {
    expect((await setStepUp({ medium: "code", high: "identity", channel: "email" })).status).toBe(400);
    expect((await setStepUp({ high: "code" })).status).toBe(400);
    const noInbox = await setStepUp({ high: "code", channel: "sms" });
    expect(noInbox.status).toBe(400);
    expect(JSON.stringify(noInbox.body)).toContain("smsInbox");
    expect((await setStepUp({ high: "code", channel: "email", validMinutes: 0 })).status).toBe(400);
    expect((await setStepUp({ high: "code", channel: "email", validMinutes: 5, surprise: true })).status).toBe(400);
  });

  it("texts the code through the SMS inbox's Twilio account to the phone the bank has on file", async () => {
    expect((await setStepUp({ medium: "code", high: "code", channel: "sms", smsInbox: "sms-otp" })).status).toBe(200);
    // The e-mail address the page passes is the visitor's word: codes never go there.
    const socket = await customer("C-1002", { email: "attacker@example.net" });
    const asked = await ask(socket, "show me my recent transactions");
    expect(asked.reply.content).toMatch(/before I see your recent transactions\. I've sent a 6-digit code to •••• 9002/);
    expect(asked.reply.content).not.toContain("Your most recent transactions");
    const sent = twilio.requests.at(-1)!;
    expect(sent.url).toBe(`/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages.json`);
    const form = new URLSearchParams(sent.body);
    expect(form.get("To")).toBe("+8613900139002");
    expect(form.get("From")).toBe("+15550001111");
    const code = codeIn(form.get("Body")!)!;
    const conversationId = asked.ack.conversationId;
    const challengeId = (asked.reply.attributes.stepUp as StepUp).id;
    const resumed = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot" && !m.private && m.content.includes("confirmed"));
    expect((await emitAck<VerifyAck>(socket, "stepup:verify", { conversationId, challengeId, code })).outcome).toBe("verified");
    expect((await resumed).content).toContain("Your most recent transactions");
    socket.disconnect();
  });

  it("mails the code to the registered address, in the customer's language; a provider failure is said and nothing is done", async () => {
    expect((await setStepUp({ high: "code", channel: "email" })).status).toBe(200);
    const socket = await customer("C-1001", { email: "someone-else@example.net" });
    const asked = await ask(socket, "冻结我的信用卡");
    expect(asked.reply.content).toMatch(/^为了您的账户安全，冻结银行卡前需要验证是您本人。6 位验证码已发送至 w•••@example\.com/);
    const mail = mails.at(-1)!;
    expect(mail.to).toEqual(["wang.fang@example.com"]);
    expect(mail.raw).toMatch(/Auto-Submitted: auto-generated/);

    // The SMS provider refusing: the customer is told, nothing is frozen, the failure is on record.
    expect((await setStepUp({ high: "code", channel: "sms", smsInbox: "sms-otp" })).status).toBe(200);
    twilio.respond = () => ({ status: 400, body: { code: 21211 } });
    const logged = recordLogs();
    const failed = await ask(socket, "freeze my credit card", asked.ack.conversationId);
    expect(failed.reply.content).toMatch(/^For your security this needs a one-time code, but I couldn't send one just now/);
    // The failure is logged with the provider's answer, never with the code it carried.
    const refusedCode = codeIn(new URLSearchParams(twilio.requests.at(-1)!.body).get("Body")!)!;
    const warning = logged().find((line) => line.includes("step-up code not sent"));
    expect(warning).toContain("Twilio answered 400 (error 21211)");
    expect(logged().some((line) => line.includes(refusedCode))).toBe(false);
    expect(await audits("stepup.undelivered", asked.ack.conversationId)).toBe(1);
    expect(await cardStatus("C-1001", "credit")).toBe("active");
    twilio.respond = () => ({ status: 201, body: {} });
    socket.disconnect();
  });
});
