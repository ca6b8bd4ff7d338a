import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import { createAgent } from "../commands/createAgent.ts";
import { createTeam } from "../commands/createTeam.ts";
import { createInbox } from "../commands/createInbox.ts";
import { createConversation } from "../commands/createConversation.ts";
import { postMessage } from "../commands/postMessage.ts";
import { handOff } from "../commands/handOff.ts";
import { assignConversation } from "../assignment/commands/assignConversation.ts";
import { changeConversationStatus } from "../commands/changeConversationStatus.ts";
import { recordCsat } from "../commands/recordCsat.ts";
import { randomPassword } from "../auth/password.ts";
import { seedDemoBank } from "../banking/seedDemoBank.ts";

export const DEMO_INBOX = "website";
export const DEMO_ADMIN_EMAIL = "admin@bayviewbank.example";

/**
 * Seeds the demo bank on an empty database: teams, the website inbox, the demo
 * admin (random password, printed once) and agents, and a few conversations in each
 * state so the console has something to show. Does nothing on a database that
 * already has agents.
 */
export async function seedDemo(ctx: AppContext): Promise<{ adminEmail: string; adminPassword: string } | undefined> {
  const { rows } = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM agents");
  if (rows[0]!.n > 0) return undefined;

  const teams = {
    general: await createTeam(ctx, { actor: SYSTEM, name: "General banking", slug: "general" }),
    cards: await createTeam(ctx, { actor: SYSTEM, name: "Cards", slug: "cards" }),
    deposits: await createTeam(ctx, { actor: SYSTEM, name: "Deposits & savings", slug: "deposits" }),
    care: await createTeam(ctx, { actor: SYSTEM, name: "Customer care (complaints & fraud)", slug: "care" }),
  };
  const inbox = await createInbox(ctx, {
    actor: SYSTEM,
    slug: DEMO_INBOX,
    name: "Bayview Bank website",
    channel: "web",
    defaultTeamId: teams.general.id,
    // Generated: a fixed secret in the source would let anyone sign in as the demo
    // customers of any server that seeds the demo. The demo page asks /demo/identity.
    identitySecret: crypto.randomBytes(32).toString("hex"),
    settings: {
      greeting: "Hi! I'm Bayview's assistant. Ask me about cards, transfers, deposits or loans — or sign in to check your accounts.",
      timezone: "Asia/Shanghai",
      workingHours: Object.fromEntries(["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, { open: "08:00", close: "22:00" }])),
      csatEnabled: true,
      requireVerification: false,
      preChatFields: [],
      botEnabled: true,
      // Balances and transactions on the signed page identity; anything that changes the
      // account (a freeze, a lost card, a make-up payment) only after a one-time code,
      // which the demo texts to the demo phone drawn on the demo page (demo/demoPhone.ts).
      stepUp: { low: "identity", medium: "identity", high: "code", channel: "demo_phone", validMinutes: 10 },
    },
  });

  const adminPassword = randomPassword();
  // In every team, so that handoffs reach the one person who tries the demo.
  await createAgent(ctx, {
    actor: SYSTEM,
    email: DEMO_ADMIN_EMAIL,
    name: "Demo Admin",
    role: "admin",
    password: adminPassword,
    passwordGenerated: true,
    teamIds: Object.values(teams).map((t) => t.id),
  });
  const li = await createAgent(ctx, {
    actor: SYSTEM,
    email: "li.na@bayviewbank.example",
    name: "Li Na",
    role: "agent",
    password: randomPassword(),
    passwordGenerated: true,
    teamIds: [teams.cards.id, teams.general.id],
  });
  // Family name first: the default (the first word) would call her "Li", so she has
  // chosen what customers see, as an agent does in their profile.
  await ctx.db.query("UPDATE agents SET display_name = 'Li Na' WHERE id = $1", [li.id]);
  const sam = await createAgent(ctx, {
    actor: SYSTEM,
    email: "sam.chen@bayviewbank.example",
    name: "Sam Chen",
    role: "agent",
    password: randomPassword(),
    passwordGenerated: true,
    teamIds: [teams.care.id, teams.general.id],
  });
  await createAgent(ctx, {
    actor: SYSTEM,
    email: "content@bayviewbank.example",
    name: "Knowledge Editor",
    role: "content",
    password: randomPassword(),
    passwordGenerated: true,
  });

  const contact = async (name: string, email: string | null, externalId: string | null, attributes: Record<string, unknown> = {}) => {
    const r = await ctx.db.query<{ id: string }>(
      "INSERT INTO contacts (name, email, external_id, verified, attributes) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [name, email, externalId, externalId !== null, JSON.stringify(attributes)],
    );
    return r.rows[0]!.id;
  };
  const wang = await contact("Wang Fang", "wang.fang@example.com", "C-1001", { segment: "Premier", city: "Shanghai" });
  const emma = await contact("Emma Liu", "emma.liu@example.com", "C-1002", { segment: "Everyday", city: "Hangzhou" });
  const visitor = await contact("Website visitor", null, null);

  const say = (conversationId: string, who: "contact" | "agent", content: string, senderId?: string) =>
    postMessage(ctx, {
      conversationId,
      messageType: who === "contact" ? "incoming" : "outgoing",
      senderType: who,
      senderId: senderId ?? null,
      content,
    });
  // The assistant's reply to a customer message, tagged as the live assistant tags it
  // (the unanswered-message sweep looks for the reply to each message).
  const botReplies = (conversationId: string, to: { message: { id: string } }, content: string) =>
    postMessage(ctx, {
      conversationId,
      messageType: "outgoing",
      senderType: "bot",
      content,
      clientId: `bot:${to.message.id}`,
      contentAttributes: { replyTo: to.message.id },
    });

  // 1. Handed off for a suspected fraud, waiting for the care team.
  const c1 = await createConversation(ctx, { inboxId: inbox.id, contactId: wang });
  const fraud = await say(c1.id, "contact", "There is a payment of ¥3,280 on my debit card that I never made. 我没有消费过这笔！");
  await handOff(ctx, {
    conversationId: c1.id,
    reason: "sensitive_topic",
    teamId: teams.care.id,
    priority: "urgent",
    summary:
      "Reason: sensitive_topic (fraud_report). Customer Wang Fang (verified) reports an unrecognised ¥3,280 debit-card payment. Suggested: freeze the card, open a dispute.",
  });
  await botReplies(
    c1.id,
    fraud,
    "I've passed this to our customer care team — a specialist will join shortly. For your safety you can freeze the card right now in Bayview Mobile under Cards → Freeze.",
  );

  // 2. Open and assigned: a card question an agent is working on.
  const c2 = await createConversation(ctx, { inboxId: inbox.id, contactId: emma });
  await say(c2.id, "contact", "Hi, my card keeps getting declined on a UK website, can someone help?");
  await handOff(ctx, {
    conversationId: c2.id,
    reason: "explicit_request",
    teamId: teams.cards.id,
    summary: "Reason: explicit_request. Emma Liu's card is declined on a foreign website; she asked for a person.",
  });
  await assignConversation(ctx, { actor: SYSTEM, conversationId: c2.id, assigneeId: li.id });
  await say(
    c2.id,
    "agent",
    "Hi Emma, this is Li Na from the cards team. Online payments abroad are switched off by default — I can walk you through turning them on in the app.",
    li.id,
  );

  // 3. With the bot, answered from the knowledge base.
  const c3 = await createConversation(ctx, { inboxId: inbox.id, contactId: visitor });
  const transfer = await say(c3.id, "contact", "how long does a transfer to another bank take");
  await botReplies(
    c3.id,
    transfer,
    "Transfers to other banks of up to ¥50,000 made in Bayview Mobile usually arrive within seconds, 24/7. Larger amounts arrive within 2 hours on working days.",
  );

  // 4. Resolved with a rating.
  const c4 = await createConversation(ctx, { inboxId: inbox.id, contactId: emma });
  await say(c4.id, "contact", "我想提前支取定期存款，利息怎么算？");
  await handOff(ctx, {
    conversationId: c4.id,
    reason: "low_confidence",
    teamId: teams.deposits.id,
    summary: "Reason: low_confidence. 客户询问定期存款提前支取的利息计算。",
  });
  await assignConversation(ctx, { actor: SYSTEM, conversationId: c4.id, assigneeId: sam.id });
  await say(c4.id, "agent", "您好，提前支取的部分按活期利率 0.10% 计息，未支取部分仍按原定期利率计息。", sam.id);
  await changeConversationStatus(ctx, { actor: SYSTEM, conversationId: c4.id, status: "resolved" });
  await recordCsat(ctx, { conversationId: c4.id, rating: 5, comment: "很清楚，谢谢！" });

  await seedDemoBank(ctx.db);
  for (const [code, content] of [
    ["hello", "Hello, this is the Bayview customer service team. How can I help you today?"],
    ["freeze", "I've frozen the card for your safety. You can unfreeze it any time in Bayview Mobile under Cards → Unfreeze."],
    [
      "dispute",
      "I've opened a dispute for this transaction. We'll update you within 5 working days; please keep your card frozen until then.",
    ],
    ["hours", "Our branches are open Mon–Fri 9:00–17:00 and Sat 9:00–13:00; online chat with our team is available 8:00–22:00 daily."],
    ["nihao", "您好，这里是湾景银行客服，很高兴为您服务。请问有什么可以帮您？"],
    ["thanks", "Thank you for contacting Bayview Bank. Is there anything else I can help you with?"],
  ]) {
    await ctx.db.query("INSERT INTO canned_responses (short_code, content) VALUES ($1, $2) ON CONFLICT DO NOTHING", [code, content]);
  }
  return { adminEmail: DEMO_ADMIN_EMAIL, adminPassword };
}
