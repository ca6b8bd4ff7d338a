import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWidget, emitAck, nextEvent, startTestApp, type TestApp } from "../helpers/testApp.ts";

/** The assistant over the demo bank's own knowledge base and intents, as `npm start` serves it. */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { KNOWLEDGE_DIR: path.resolve(import.meta.dirname, "../../knowledge") } });
}, 120_000);
afterAll(() => app?.close());

type Msg = { content: string; sender: { type: string }; attributes: Record<string, unknown> };

async function ask(content: string): Promise<Msg> {
  const { socket } = await connectWidget(app);
  try {
    const reply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot", 30_000);
    const ack = await emitAck<{ ok: boolean }>(socket, "message:send", { clientId: crypto.randomUUID(), content });
    expect(ack.ok).toBe(true);
    return await reply;
  } finally {
    socket.disconnect();
  }
}

/** Sends a customer's message on the widget socket (into a conversation, when given) and waits for the bot's reply. */
function sender(socket: Awaited<ReturnType<typeof connectWidget>>["socket"]) {
  return async (content: string, conversationId?: string) => {
    const reply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot", 30_000);
    const ack = await emitAck<{ ok: boolean; message: { conversationId: string } }>(socket, "message:send", {
      clientId: crypto.randomUUID(),
      content,
      ...(conversationId ? { conversationId } : {}),
    });
    expect(ack.ok).toBe(true);
    return { reply: await reply, conversationId: ack.message.conversationId };
  };
}

describe("the assistant over the demo knowledge base", () => {
  it("tells a signed-out customer who lost their card how to freeze it, then that signing in lets it do so here", async () => {
    for (const [question, freeze, signIn] of [
      ["i lost my wallet with my card in it", "tap **Freeze**", "sign in"],
      ["我的钱包丢了，卡也在里面", "点击“冻结”", "登录"],
    ] as const) {
      const reply = await ask(question);
      expect(reply.content, question).toContain(freeze);
      expect(reply.content, question).toContain("400-820-5588");
      expect(reply.content.split("\n\n").at(-1), question).toContain(signIn);
      const cited = (reply.attributes.citations as Array<{ path: string }>).map((c) => c.path);
      expect(
        cited.some((p) => p.startsWith("cards/lost-or-stolen-card")),
        question,
      ).toBe(true);
    }
  });

  it("answers a customer writing traditional characters in traditional ones, from an article written in simplified", async () => {
    // The guide has no zh-TW article on repayments: the simplified one is quoted, converted.
    const reply = await ask("信用卡最低還款是多少");
    expect(reply.content).toContain("最低還款額");
    expect(reply.content).not.toMatch(/还款|滞纳金|账单/);
    const cited = (reply.attributes.citations as Array<{ path: string }>).map((c) => c.path);
    expect(cited).toContain("cards/credit-card-repayment.zh-CN.md");
    // A simplified question is quoted as written.
    expect((await ask("信用卡最低还款是多少")).content).toContain("最低还款额");
  });

  it("declines a question it only half reads as an account request, rather than asking a signed-out customer to sign in", async () => {
    // Read as a deposit lookup with little confidence, and not answered by the guide either.
    const reply = await ask("is my deposit safe from hackers");
    expect(reply.attributes.declined).toBe(true);
    expect(reply.content).not.toMatch(/sign in/i);
    const offered = (reply.attributes.quickReplies as Array<{ text: string }>).map((q) => q.text);
    expect(offered).toContain("Talk to a person");
  });

  it("declines a rate in a currency the guide never quotes, and answers the yuan rate and the currency the guide covers", async () => {
    // The time-deposit rate table is for yuan: a US-dollar rate is not in the guide.
    const usd = await ask("美元定期存款利率多少");
    expect(usd.attributes.declined).toBe(true);
    expect(usd.content).not.toContain("1.35%");
    expect((await ask("一年定期存款利率多少")).content).toContain("1.35%");
    // Deposit insurance covers foreign-currency deposits, in the section that says so.
    expect((await ask("美元存款受存款保险保障吗")).content).toContain("50万元");
  });

  it("quotes the guide's less sure answer to a question about a complaint before a colleague takes over", async () => {
    // Confidence about 0.6 (an answer on its own needs 0.7 in English): quoted, then handed off.
    const reply = await ask("filed a complaint about a fee last week, when will i get a final answer");
    expect(reply.content).toContain("15 working days");
    // The complaint is recorded and handed to a person, as before: the answer comes between.
    expect(reply.content).toMatch(/recorded your complaint under reference CR-/);
    expect(reply.content.indexOf("15 working days")).toBeGreaterThan(reply.content.indexOf("CR-"));
  });

  it("answers a sure reading of a strange charge from the section on it, and an unsure one from what the search finds", async () => {
    // The intent is sure; the search alone proposes fee pages ("charge"), not the section.
    const strange = await ask("there's a charge i didn't make");
    expect(strange.content).toContain("Report a problem");
    const cited = (strange.attributes.citations as Array<{ heading: string }>).map((c) => c.heading);
    expect(cited.some((h) => h.endsWith("Transactions you don't recognise"))).toBe(true);
    expect(strange.content.split("\n\n").at(-1)).toMatch(/sign in.*dispute/i);
    // Read as a dispute with little confidence: the debit card's page answers, with no word of a dispute.
    const contactless = await ask("how do i turn off contactless payments on my card");
    expect(contactless.content).toContain("switch PIN-free payments off");
    expect(contactless.content).not.toMatch(/dispute|Report a problem/);
  });

  it("offers the sections it came closest to instead of guessing, and answers the question from the one the customer taps", async () => {
    const { socket } = await connectWidget(app);
    try {
      const send = sender(socket);
      const first = await send("what are your savings interest rates");
      expect(first.reply.attributes.declined).toBe(true);
      const offered = (first.reply.attributes.quickReplies as Array<{ label: string; text: string }>).map((q) => q.text);
      // Two sections of the closest article at most; among them a savings product's rate table
      // (time deposits' or instalment savings': "savings" says not which).
      const rates = offered.find((l) => /^(Time deposits|Instalment savings).*: (Current rates|Terms and rates)$/.test(l));
      expect(rates, offered.join(" | ")).toBeDefined();
      // Numbered in the text as well, for channels without buttons (SMS, WhatsApp, e-mail): "3" picks the third.
      expect(first.reply.content).toContain(`${offered.indexOf(rates!) + 1}. ${rates}`);
      const tapped = await send(rates!, first.conversationId);
      expect(tapped.reply.attributes.declined).not.toBe(true);
      expect(tapped.reply.content).toMatch(/\| 1 year +\| 1\.\d\d% +\|/);
      const cited = (tapped.reply.attributes.citations as Array<{ heading: string }>).map((c) => c.heading);
      expect(cited[0]).toMatch(/ › (Current rates|Terms and rates)$/);
    } finally {
      socket.disconnect();
    }
  });

  it("answers what the customer says they meant when they reject an answer and restate the question", async () => {
    const { socket } = await connectWidget(app);
    try {
      const send = sender(socket);
      const first = await send("I lost my card");
      expect(first.reply.content).toContain("Freeze");
      const restated = await send("that's not what I asked, what's the fee for sending money abroad", first.conversationId);
      // The remittance fee table, not another passage about lost cards.
      expect(restated.reply.content).toContain("¥150 per remittance");
      const cited = (restated.reply.attributes.citations as Array<{ path: string }>).map((c) => c.path);
      expect(cited[0]).toBe("transfers/international-remittance.md");
      // Of the same family (savings), the restated question is still read without the topic turned down.
      const savings = await send("我想开个零存整取");
      const meant = await send("不是这个 我是问整存整取存一年利率多少", savings.conversationId);
      expect(meant.reply.content).toContain("1.35%");
      expect(meant.reply.content).not.toContain("零存整取");
    } finally {
      socket.disconnect();
    }
  });
});
