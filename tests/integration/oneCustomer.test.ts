/**
 * One customer, every channel (issue #17 §3): the vulnerability flag an agent records
 * with the customer's consent (routing to the inbox's vulnerable-customers team, the
 * assistant handing off sooner), and merging two contacts into one timeline, undone exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callApi,
  connectVerifiedCustomer,
  connectWidget,
  emitAck,
  type Json,
  nextEvent,
  signInAgent,
  startTestApp,
  type TestApp,
} from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import type { Socket } from "socket.io-client";

type Session = { cookie: string; csrf: string };

let app: TestApp;
let admin: Session;
let cardsAgent: Session;
let editor: Session;
const team: Record<string, string> = {};
let inboxId = "";
const PASSWORD = "one-customer-password";

const call = (s: Session, method: string, path: string, body?: unknown) => callApi(app, s, method, path, body);

/** Sends a customer message and waits for the bot's reply; the conversation's id. */
async function say(socket: Socket, content: string, conversationId?: string): Promise<string> {
  const reply = nextEvent<{ sender: { type: string } }>(socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<{ ok: boolean; message: { conversationId: string } }>(socket, "message:send", {
    conversationId,
    clientId: crypto.randomUUID(),
    content,
  });
  expect(ack.ok).toBe(true);
  await reply;
  return ack.message.conversationId;
}

const conversation = async (id: string) =>
  (
    await app.db.query<{ contact_id: string; team_id: string | null; status: string; handoff_reason: string | null }>(
      "SELECT contact_id, team_id, status, handoff_reason FROM conversations WHERE id = $1",
      [id],
    )
  ).rows[0]!;
const audit = async (action: string, targetId: string) =>
  (await app.db.query<{ data: Json }>("SELECT data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id", [action, targetId]))
    .rows;

beforeAll(async () => {
  app = await startTestApp();
  for (const r of (await app.db.query<{ id: string; slug: string }>("SELECT id, slug FROM teams")).rows) team[r.slug] = r.id;
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  await createAgent(app.ctx, { actor: SYSTEM, email: "sup@one.example", name: "Sup", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "cards@one.example",
    name: "Cara",
    role: "agent",
    password: PASSWORD,
    teamIds: [team.cards!],
  });
  await createAgent(app.ctx, { actor: SYSTEM, email: "kb@one.example", name: "Ed", role: "content", password: PASSWORD });
  admin = await signInAgent(app, "sup@one.example", PASSWORD);
  cardsAgent = await signInAgent(app, "cards@one.example", PASSWORD);
  editor = await signInAgent(app, "kb@one.example", PASSWORD);
});
afterAll(() => app?.close());

describe("the vulnerability flag", () => {
  it("is recorded only with consent, audited without the note, routes new conversations and makes the assistant hand off sooner", async () => {
    const set = await call(admin, "PATCH", `/admin/inboxes/${inboxId}`, { settings: { vulnerableCustomersTeamId: team.care } });
    expect(set.status).toBe(200);

    const { socket, session } = await connectWidget(app);
    const contactId = (session.contact as { id: string }).id;
    const text = "The app keeps logging me out, it's annoying. How do I stay signed in?";
    // Not flagged: a mildly unhappy message is the assistant's to answer.
    const before = await say(socket, text);
    await app.ctx.queue.drain();
    expect((await conversation(before)).status).toBe("pending");

    const noConsent = await call(admin, "PUT", `/contacts/${contactId}/vulnerability`, {
      kind: "bereavement",
      consentConfirmed: false,
      note: "x",
    });
    expect(noConsent.status).toBe(400);
    expect(
      (await call(editor, "PUT", `/contacts/${contactId}/vulnerability`, { kind: "illness", consentConfirmed: true, note: "x" })).status,
    ).toBe(403);
    // The cards agent serves none of this customer's conversations (they are with the inbox's team or none... made care's here).
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [before, team.care]);
    expect(
      (await call(cardsAgent, "PUT", `/contacts/${contactId}/vulnerability`, { kind: "illness", consentConfirmed: true, note: "x" }))
        .status,
    ).toBe(404);

    const recorded = await call(admin, "PUT", `/contacts/${contactId}/vulnerability`, {
      kind: "bereavement",
      consentConfirmed: true,
      note: "Husband died in May; handles the joint account now",
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.vulnerability).toMatchObject({ kind: "bereavement", consentConfirmed: true, recordedBy: { name: "Sup" } });
    const view = await call(admin, "GET", `/contacts/${contactId}`);
    expect(view.body.vulnerability).toMatchObject({ kind: "bereavement", note: "Husband died in May; handles the joint account now" });
    const entries = await audit("contact.vulnerability_recorded", contactId);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0]!.data)).not.toContain("Husband");

    // Flagged: a new conversation goes to the vulnerable-customers team, and the same words go to a person.
    const after = await say(socket, text);
    await app.ctx.queue.drain();
    const c = await conversation(after);
    expect(c).toMatchObject({ team_id: team.care, status: "open", handoff_reason: "negative_sentiment" });

    const changed = await call(admin, "PUT", `/contacts/${contactId}/vulnerability`, {
      kind: "elderly",
      consentConfirmed: true,
      note: "84",
    });
    expect(changed.body.vulnerability.kind).toBe("elderly");
    expect((await audit("contact.vulnerability_updated", contactId))[0]!.data).toMatchObject({
      kind: "elderly",
      previousKind: "bereavement",
    });
    expect((await call(admin, "DELETE", `/contacts/${contactId}/vulnerability`)).body).toEqual({ removed: true });
    expect((await call(admin, "DELETE", `/contacts/${contactId}/vulnerability`)).body).toEqual({ removed: false });
    expect(await audit("contact.vulnerability_removed", contactId)).toHaveLength(1);
    expect((await call(admin, "GET", `/contacts/${contactId}`)).body.vulnerability).toBeNull();
    // Unflagged again: new conversations take the inbox's default team.
    const later = await say(socket, "How do I freeze my card?");
    const inboxTeam = (
      await app.db.query<{ default_team_id: string | null }>("SELECT default_team_id FROM inboxes WHERE id = $1", [inboxId])
    ).rows[0]!;
    expect((await conversation(later)).team_id).toBe(inboxTeam.default_team_id);
    socket.close();
    await call(admin, "PATCH", `/admin/inboxes/${inboxId}`, { settings: { vulnerableCustomersTeamId: null } });
  });
});

describe("merging contacts", () => {
  /** A customer who wrote by e-mail: their contact, e-mail identity, a conversation of `teamId` and a complaint case on it. */
  async function emailCustomer(email: string, teamId: string | null) {
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name, email) VALUES ('Mei Lin', $1) RETURNING id", [email]))
      .rows[0]!.id;
    const emailInbox = (
      await app.db.query<{ id: string }>(
        `INSERT INTO inboxes (slug, name, channel, identity_secret) VALUES ($1, 'Mail', 'email', 'x') RETURNING id`,
        [`mail-${crypto.randomUUID().slice(0, 8)}`],
      )
    ).rows[0]!.id;
    await app.db.query("INSERT INTO contact_inboxes (contact_id, inbox_id, source_id) VALUES ($1, $2, $3)", [contact, emailInbox, email]);
    const conv = (
      await app.db.query<{ id: string }>(
        "INSERT INTO conversations (inbox_id, contact_id, status, team_id, created_at) VALUES ($1, $2, 'resolved', $3, now() - interval '3 days') RETURNING id",
        [emailInbox, contact, teamId],
      )
    ).rows[0]!.id;
    const opened = await call(admin, "POST", "/cases", { conversationId: conv, summary: "Fee charged twice" });
    expect(opened.status).toBe(201);
    return { contact, conv, caseId: opened.body.id as string, emailInbox };
  }

  it("moves conversations, cases and channel identities into one timeline, and undo puts back exactly what moved", async () => {
    const { socket, session } = await connectVerifiedCustomer(app, "C1001");
    const widgetContact = (session.contact as { id: string }).id;
    const widgetConv = await say(socket, "How do I freeze my card?");
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [widgetConv, team.cards]);
    const mail = await emailCustomer("mei@example.com", team.cards!);

    // Permissions: content editors may not; the verified customer may not be merged away.
    expect((await call(editor, "POST", `/contacts/${mail.contact}/merge`, { into: widgetContact })).status).toBe(403);
    expect((await call(cardsAgent, "POST", `/contacts/${widgetContact}/merge`, { into: mail.contact })).status).toBe(409);
    expect((await call(cardsAgent, "POST", `/contacts/${mail.contact}/merge`, { into: mail.contact })).status).toBe(400);

    const search = await call(cardsAgent, "GET", `/contacts?q=${encodeURIComponent("mei@")}`);
    expect(search.body.items.map((c: Json) => c.id)).toContain(mail.contact);

    const merged = await call(cardsAgent, "POST", `/contacts/${mail.contact}/merge`, { into: widgetContact });
    expect(merged.status).toBe(201);
    expect(merged.body.moved).toEqual({ conversations: 1, cases: 1, channelIdentities: 1 });
    expect((await conversation(mail.conv)).contact_id).toBe(widgetContact);
    expect((await app.db.query("SELECT contact_id FROM cases WHERE id = $1", [mail.caseId])).rows[0]).toEqual({
      contact_id: widgetContact,
    });
    expect((await app.db.query("SELECT contact_id FROM contact_inboxes WHERE inbox_id = $1", [mail.emailInbox])).rows[0]).toEqual({
      contact_id: widgetContact,
    });
    expect(await audit("contact.merged", widgetContact)).toHaveLength(1);

    // One timeline: both conversations and the case; the merge in the profile's history; the e-mail filled in.
    const view = await call(cardsAgent, "GET", `/contacts/${widgetContact}`);
    expect(view.body.conversations.map((c: Json) => c.id).sort()).toEqual([widgetConv, mail.conv].sort());
    expect(view.body.cases.map((c: Json) => c.id)).toEqual([mail.caseId]);
    expect(view.body.merges).toMatchObject([{ id: merged.body.mergeId, mergedId: mail.contact, undoneAt: null }]);
    const mergedAway = await call(admin, "GET", `/contacts/${mail.contact}`);
    expect(mergedAway.body.contact.mergedInto).toBe(widgetContact);
    // A merged contact is no longer offered as a merge target, nor can it be merged again.
    expect((await call(cardsAgent, "GET", `/contacts?q=mei`)).body.items.map((c: Json) => c.id)).not.toContain(mail.contact);
    expect((await call(admin, "POST", `/contacts/${mail.contact}/merge`, { into: widgetContact })).status).toBe(409);

    // The e-mail conversation now belongs to a verified customer, but nobody signed in
    // in it: the console does not call it signed (and the assistant does not act for them).
    expect((await call(admin, "GET", `/conversations/${widgetConv}/verification`)).body.identity).toBe("signed");
    expect((await call(admin, "GET", `/conversations/${mail.conv}/verification`)).body.identity).toBe("none");
    // Nor does a new e-mail that arrives through the moved identity.
    const newMail = (
      await app.db.query<{ id: string }>(
        "INSERT INTO conversations (inbox_id, contact_id, status, team_id) VALUES ($1, $2, 'open', $3) RETURNING id",
        [mail.emailInbox, widgetContact, team.cards],
      )
    ).rows[0]!.id;
    expect((await call(admin, "GET", `/conversations/${newMail}/verification`)).body.identity).toBe("none");

    // After the merge the customer writes again on the widget: that stays with the survivor on undo.
    const laterConv = await say(socket, "And what is the daily limit?");

    // Undo needs to see the survivor; then exactly what moved goes back.
    const outsider = await signInOutsider();
    expect((await call(outsider, "POST", `/contact-merges/${merged.body.mergeId}/undo`)).status).toBe(404);
    const undone = await call(cardsAgent, "POST", `/contact-merges/${merged.body.mergeId}/undo`);
    expect(undone.status).toBe(200);
    expect((await conversation(mail.conv)).contact_id).toBe(mail.contact);
    expect((await conversation(widgetConv)).contact_id).toBe(widgetContact);
    expect((await conversation(laterConv)).contact_id).toBe(widgetContact);
    expect((await app.db.query("SELECT contact_id FROM cases WHERE id = $1", [mail.caseId])).rows[0]).toEqual({ contact_id: mail.contact });
    expect((await app.db.query("SELECT contact_id FROM contact_inboxes WHERE inbox_id = $1", [mail.emailInbox])).rows[0]).toEqual({
      contact_id: mail.contact,
    });
    const survivor = (await app.db.query<{ email: string | null }>("SELECT email FROM contacts WHERE id = $1", [widgetContact])).rows[0]!;
    const survivorBefore = (await app.db.query<{ email: string | null }>("SELECT email FROM contacts WHERE external_id = 'C1001'"))
      .rows[0]!;
    expect(survivor.email).toBe(survivorBefore.email);
    expect((await call(admin, "GET", `/contacts/${mail.contact}`)).body.contact.mergedInto).toBeNull();
    expect((await call(admin, "GET", `/contacts/${widgetContact}`)).body.merges[0].undoneAt).not.toBeNull();
    expect(await audit("contact.merge_undone", widgetContact)).toHaveLength(1);
    expect((await call(cardsAgent, "POST", `/contact-merges/${merged.body.mergeId}/undo`)).status).toBe(409);
    socket.close();
  });

  it("refuses an agent a contact they do not serve", async () => {
    const mine = await emailCustomer("ann@example.com", team.cards!);
    const theirs = await emailCustomer("bob@example.com", team.deposits!);
    expect((await call(cardsAgent, "POST", `/contacts/${mine.contact}/merge`, { into: theirs.contact })).status).toBe(404);
    expect((await call(cardsAgent, "GET", `/contacts?q=bob@`)).body.items).toEqual([]);
    expect((await call(admin, "POST", `/contacts/${mine.contact}/merge`, { into: theirs.contact })).status).toBe(201);
  });
});

describe("open complaints in the customer profile", () => {
  it("lists the open cases first with their due date and kind, and counts another team's without showing them", async () => {
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Kai Chen') RETURNING id")).rows[0]!.id;
    const conv = async (teamId: string) =>
      (
        await app.db.query<{ id: string }>(
          "INSERT INTO conversations (inbox_id, contact_id, status, team_id) VALUES ($1, $2, 'open', $3) RETURNING id",
          [inboxId, contact, teamId],
        )
      ).rows[0]!.id;
    const open = async (conversationId: string, summary: string) => {
      const r = await call(admin, "POST", "/cases", { conversationId, summary });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const cards = await conv(team.cards!);
    const dispute = await open(cards, "Card payment at an unknown merchant");
    await app.db.query("UPDATE cases SET details = $2 WHERE id = $1", [
      dispute,
      { kind: "disputed_transaction", transactionId: "T-9", amount: 3280, currency: "CNY", merchant: "Unknown Ltd", date: "2026-12-01" },
    ]);
    const hidden = await open(await conv(team.deposits!), "Branch refused a cash deposit");
    // Closed after the others were opened: newest, yet listed after every open case.
    const closed = await open(cards, "Statement sent to the old address");
    await app.db.query("UPDATE cases SET status = 'closed', closed_at = now(), created_at = now() + interval '1 minute' WHERE id = $1", [
      closed,
    ]);

    const agentView = await call(cardsAgent, "GET", `/contacts/${contact}`);
    expect(agentView.status).toBe(200);
    expect(agentView.body.cases.map((k: Json) => [k.id, k.status])).toEqual([
      [dispute, "received"],
      [closed, "closed"],
    ]);
    expect(agentView.body.cases[0].details).toMatchObject({ kind: "disputed_transaction", merchant: "Unknown Ltd" });
    expect(agentView.body.cases[0].clocks.finalResponse.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The deposits team's case: counted, never named.
    expect(agentView.body.otherOpenCases).toBe(1);
    expect(JSON.stringify(agentView.body)).not.toContain(hidden);

    const adminView = await call(admin, "GET", `/contacts/${contact}`);
    expect(adminView.body.cases.map((k: Json) => k.id).at(-1)).toBe(closed);
    expect(adminView.body.cases.map((k: Json) => k.id).sort()).toEqual([dispute, hidden, closed].sort());
    expect(adminView.body.otherOpenCases).toBe(0);
  });
});

async function signInOutsider(): Promise<Session> {
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "dep@one.example",
    name: "Dee",
    role: "agent",
    password: PASSWORD,
    teamIds: [team.deposits!],
  });
  return signInAgent(app, "dep@one.example", PASSWORD);
}
