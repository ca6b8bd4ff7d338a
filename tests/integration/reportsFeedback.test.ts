import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { rateAnswer } from "../../server/commands/rateAnswer.ts";
import { recordRejectedAnswer } from "../../server/commands/recordRejectedAnswer.ts";
import { findConversation } from "../../server/conversations/queries.ts";
import { SYSTEM } from "../../server/actor.ts";

/**
 * Reports with the customers' verdicts on the assistant's answers: containment leaves
 * out conversations with an answer marked not helpful or rejected in words; the summary,
 * the daily CSV and the top unanswered questions (with the passage that missed) count them.
 */
let app: TestApp;
let admin: { cookie: string };
const PASSWORD = "feedback-reports-password";
const DAY = "2026-05-01";
const RANGE = `from=${DAY}T00:00:00.000Z&to=2026-05-02T00:00:00.000Z`;
const FREEZE = { path: "cards/lost-card.md", title: "Lost or stolen card", heading: "Freeze the card", url: "/kb/cards/lost-card" };
const FEES = { path: "cards/lost-card.md", title: "Lost or stolen card", heading: "Order a replacement", url: "/kb/cards/lost-card" };

/** A conversation of the day: the customer's question and the assistant's reply to it (an answer with citations, or a decline). */
async function stage(
  question: string,
  reply: { citations?: (typeof FREEZE)[]; declined?: boolean; handedOff?: boolean },
  minute: number,
): Promise<{ conversationId: string; contactId: string; answerId: string }> {
  const at = (s: number) => `${DAY}T10:${String(minute).padStart(2, "0")}:${String(s).padStart(2, "0")}Z`;
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Customer') RETURNING id")).rows[0]!.id;
  const conversationId = (
    await app.db.query<{ id: string }>(
      `INSERT INTO conversations (inbox_id, contact_id, status, created_at, last_seq, handed_off_at, handoff_reason)
       VALUES ($1, $2, 'pending', $3, 2, $4, $5) RETURNING id`,
      [inbox, contactId, at(0), reply.handedOff ? at(2) : null, reply.handedOff ? "explicit_request" : null],
    )
  ).rows[0]!.id;
  const questionId = (
    await app.db.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, seq, message_type, sender_type, sender_id, content, created_at)
       VALUES ($1, 1, 'incoming', 'contact', $2, $3, $4) RETURNING id`,
      [conversationId, contactId, question, at(0)],
    )
  ).rows[0]!.id;
  const answerId = (
    await app.db.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, content_attributes, created_at)
       VALUES ($1, 2, 'outgoing', 'bot', 'Here is what to do.', $2, $3) RETURNING id`,
      [
        conversationId,
        JSON.stringify({ replyTo: questionId, citations: reply.citations ?? [], declined: reply.declined ?? false, trace: [] }),
        at(1),
      ],
    )
  ).rows[0]!.id;
  return { conversationId, contactId, answerId };
}

async function rate(c: { conversationId: string; contactId: string; answerId: string }, rating: "helpful" | "not_helpful") {
  const conversation = (await findConversation(app.db, c.conversationId))!;
  await rateAnswer(app.ctx, {
    actor: { type: "contact", id: c.contactId, verified: false },
    conversation,
    messageId: c.answerId,
    rating,
  });
}

beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  await createAgent(app.ctx, { actor: SYSTEM, email: "fr@reports.example", name: "FR", role: "admin", password: PASSWORD });
  admin = await signInAgent(app, "fr@reports.example", PASSWORD);

  // Helpful: contained.
  await rate(await stage("How do I freeze my card?", { citations: [FREEZE] }, 0), "helpful");
  // Marked helpful, then not: one verdict, not helpful; the customer's card number is masked in the report.
  const changed = await stage("My card 4111 1111 1111 1111 is gone, how do I stop it?", { citations: [FREEZE] }, 1);
  await rate(changed, "helpful");
  await rate(changed, "not_helpful");
  // Another customer, the same question and passage, not helpful: one line, twice.
  await rate(await stage("My card 4000 0000 0000 0002 is gone, how do I stop it?", { citations: [FREEZE] }, 2), "not_helpful");
  // Rejected in words: "that's not what I asked".
  const rejected = await stage("What does a new card cost?", { citations: [FEES] }, 3);
  const rejection = (
    await app.db.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, created_at)
       VALUES ($1, 3, 'incoming', 'contact', 'that is not what I asked', '${DAY}T10:03:30Z') RETURNING id`,
      [rejected.conversationId],
    )
  ).rows[0]!.id;
  await recordRejectedAnswer(app.ctx, {
    conversation: (await findConversation(app.db, rejected.conversationId))!,
    rejectingMessageId: rejection,
  });
  // Declined, and nobody complained: contained, as before; on the list as a decline.
  await stage("Can I pay my mortgage with bitcoin?", { declined: true }, 4);
  // Handed off: never contained.
  await stage("Let me talk to a person", { handedOff: true }, 5);
});
afterAll(() => app?.close());

const get = (path: string) => fetch(`${app.url}/api/v1${path}`, { headers: { cookie: admin.cookie } });

describe("reports with answer feedback", () => {
  it("containment leaves out answers marked not helpful or rejected; the summary counts the verdicts", async () => {
    const r = await get(`/reports/summary?${RANGE}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown> & { daily: Array<Record<string, unknown>> };
    // Six conversations: the helpful one and the declined one are contained.
    expect(body).toMatchObject({
      conversations: 6,
      containmentRate: 2 / 6,
      handoffRate: 1 / 6,
      answerFeedback: { helpful: 1, notHelpful: 3, inWords: 1, helpfulRate: 1 / 4 },
    });
    expect(body.daily).toEqual([expect.objectContaining({ day: DAY, n: 6, bot_resolved: 2, answers_helpful: 1, answers_not_helpful: 3 })]);
    const rows = await app.db.query("SELECT rating, via FROM answer_feedback ORDER BY rating, via");
    expect(rows.rows).toEqual([
      { rating: "helpful", via: "button" },
      { rating: "not_helpful", via: "button" },
      { rating: "not_helpful", via: "button" },
      { rating: "not_helpful", via: "words" },
    ]);
  });

  it("lists answers marked not helpful with the customer's question and the passage used, beside the declined questions", async () => {
    const body = (await (await get(`/reports/summary?${RANGE}`)).json()) as {
      unansweredQuestions: Array<{ text: string; count: number; reason: string; passages: unknown[] }>;
    };
    const freeze = { path: FREEZE.path, title: FREEZE.title, heading: FREEZE.heading };
    expect(body.unansweredQuestions.map(({ text, count, reason, passages }) => ({ text, count, reason, passages }))).toEqual([
      // Two customers, two card numbers: one question once masked, most frequent first.
      {
        text: expect.stringMatching(/^My card .*\*{4}.* is gone, how do I stop it\?$/),
        count: 2,
        reason: "not_helpful",
        passages: [freeze],
      },
      { text: "Can I pay my mortgage with bitcoin?", count: 1, reason: "declined", passages: [] },
      {
        text: "What does a new card cost?",
        count: 1,
        reason: "not_helpful",
        passages: [{ path: FEES.path, title: FEES.title, heading: FEES.heading }],
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/4111 1111|4000 0000/);
  });

  it("exports the verdicts and the helpful rate per day", async () => {
    const csv = (await (await get(`/reports/export.csv?${RANGE}`)).text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(csv[0]).toMatch(/,csat_average,answers_helpful,answers_not_helpful,helpful_rate$/);
    expect(csv[1]).toBe(`${DAY},6,1,2,0.333,,,,1,3,0.25`);
  });
});
