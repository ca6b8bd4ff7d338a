/**
 * A customer's emotional profile in the contact view (GET /contacts/{id}): the
 * assistant reads each message of a live widget conversation, and the profile adds
 * it to the customer's earlier conversations — within each conversation and across
 * them — over the conversations the asking agent may read only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWidget, emitAck, nextEvent, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

let app: TestApp;
let admin: { cookie: string; csrf: string };
let agent: { cookie: string; csrf: string };
let cardsTeam = "";
let careTeam = "";
const PASSWORD = "emotional-profile-password";

interface Profile {
  conversations: number;
  readings: number;
  average: number | null;
  negativeShare: number | null;
  trend: string;
  byConversation: Array<{ conversationId: string; readings: number; average: number; lowest: number; last: number; trend: string }>;
  recentNegative: Array<{ conversationId: string; at: string; score: number; negativeMessages: number }>;
}
const contactView = async (s: { cookie: string }, id: string) => {
  const r = await fetch(`${app.url}/api/v1/contacts/${id}`, { headers: { cookie: s.cookie } });
  return { status: r.status, body: (await r.json()) as { conversations: Array<{ id: string }>; emotionalProfile: Profile } };
};

beforeAll(async () => {
  app = await startTestApp();
  const teams = (await app.db.query<{ id: string }>("SELECT id FROM teams ORDER BY slug")).rows;
  cardsTeam = teams[0]!.id;
  careTeam = teams[1]!.id;
  await createAgent(app.ctx, { actor: SYSTEM, email: "boss@mood.example", name: "Boss", role: "admin", password: PASSWORD });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "ana@mood.example",
    name: "Ana",
    role: "agent",
    password: PASSWORD,
    teamIds: [cardsTeam],
  });
  admin = await signInAgent(app, "boss@mood.example", PASSWORD);
  agent = await signInAgent(app, "ana@mood.example", PASSWORD);
});
afterAll(() => app?.close());

describe("a customer's emotional profile", () => {
  it("reads the live conversation's rising anger beside an earlier bad conversation", async () => {
    const { socket, session } = await connectWidget(app);
    const contactId = (session.contact as { id: string }).id;
    const say = async (content: string, conversationId?: string) => {
      const reply = nextEvent<{ sender: { type: string } }>(socket, "message", (m) => m.sender.type === "bot");
      const ack = await emitAck<{ ok: boolean; message: { conversationId: string } }>(socket, "message:send", {
        conversationId,
        clientId: crypto.randomUUID(),
        content,
      });
      expect(ack.ok).toBe(true);
      await reply;
      return ack.message.conversationId;
    };
    const live = await say("How do I freeze my card?");
    await say("I have asked three times and nothing works, this is ridiculous and I am furious", live);
    await app.ctx.queue.drain();
    await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [live, cardsTeam]);

    // A week earlier, with the care team: two messages the assistant read as negative.
    const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
    const earlier = (
      await app.db.query<{ id: string }>(
        `INSERT INTO conversations (inbox_id, contact_id, status, created_at, team_id) VALUES ($1, $2, 'resolved', now() - interval '7 days', $3) RETURNING id`,
        [inboxId, contactId, careTeam],
      )
    ).rows[0]!.id;
    for (const [seq, score] of [
      [1, -0.4],
      [2, -0.7],
    ] as const)
      await app.db.query(
        `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, content_attributes, created_at)
         VALUES ($1, $2::int, 'incoming', 'contact', 'not again', $3, now() - interval '7 days' + $2::int * interval '1 minute')`,
        [earlier, seq, JSON.stringify({ sentiment: { label: "negative", score, trend: "stable" } })],
      );

    const { status, body } = await contactView(admin, contactId);
    expect(status).toBe(200);
    const p = body.emotionalProfile;
    expect(p.conversations).toBe(2);
    expect(p.readings).toBe(4);
    // Newest first: the live conversation, read by the assistant turn by turn.
    const [now, before] = p.byConversation;
    expect(now!.conversationId).toBe(live);
    expect(now!.readings).toBe(2);
    expect(now!.last).toBeLessThan(-0.3);
    expect(now!.trend).toBe("worsening");
    expect(before).toMatchObject({ conversationId: earlier, readings: 2, average: -0.55, lowest: -0.7, trend: "worsening" });
    expect(p.negativeShare).toBe(1);
    expect(p.recentNegative.map((e) => e.conversationId)).toEqual([live, earlier]);
    expect(p.recentNegative[1]).toMatchObject({ score: -0.7, negativeMessages: 2 });

    // An agent of the cards team cannot open the care team's conversation, nor see it in the profile.
    const mine = await contactView(agent, contactId);
    expect(mine.status).toBe(200);
    expect(mine.body.conversations.map((c) => c.id)).toEqual([live]);
    expect(mine.body.emotionalProfile.byConversation.map((c) => c.conversationId)).toEqual([live]);
    expect(mine.body.emotionalProfile.recentNegative.map((e) => e.conversationId)).toEqual([live]);
    socket.disconnect();
  });

  it("is empty for a customer the assistant never read", async () => {
    const id = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Quiet Person') RETURNING id")).rows[0]!.id;
    const { status, body } = await contactView(admin, id);
    expect(status).toBe(200);
    expect(body.emotionalProfile).toMatchObject({ conversations: 0, readings: 0, average: null, trend: "stable", recentNegative: [] });
  });
});
