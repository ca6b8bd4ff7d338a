import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectWidget,
  connectVerifiedCustomer,
  pageIdentityOnly,
  emitAck,
  nextEvent,
  startTestApp,
  type TestApp,
} from "../helpers/testApp.ts";

/**
 * The account tools of issue #16 through the whole assistant (widget → reply job →
 * DemoCoreBanking on the demo tables): reporting a card lost, making up a missed
 * instalment, explaining a transaction; all for verified customers only.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await pageIdentityOnly(app);
});
afterAll(() => app?.close());

type Msg = { id: string; conversationId: string; content: string; sender: { type: string }; attributes: Record<string, unknown> };
type Ack = { ok: boolean; message?: Msg };
type Socket = Awaited<ReturnType<typeof connectWidget>>["socket"];

async function customer(id: string) {
  return (await connectVerifiedCustomer(app, id)).socket;
}

async function ask(socket: Socket, content: string, conversationId?: string) {
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<Ack>(socket, "message:send", { conversationId, clientId: crypto.randomUUID(), content });
  expect(ack.ok).toBe(true);
  return { ack: ack.message!, reply: await botReply };
}

const count = async (sql: string, params: unknown[] = []) => (await app.db.query(sql, params)).rowCount;

describe("account tools for verified customers", () => {
  it("reports a card lost only after a yes, tells the replacement, audits it, and a repeated yes orders no second card", async () => {
    const socket = await customer("C-1002");
    const confirm = await ask(socket, "I want to report my debit card lost and get a replacement");
    expect(confirm.reply.content).toMatch(/^Report your card ending 0000 as lost and order a replacement\? This is permanent/);
    const conversationId = confirm.ack.conversationId;
    expect(await count("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1002' AND status = 'cancelled'")).toBe(0);
    const proposed = (await app.db.query<{ bot_state: unknown }>("SELECT bot_state FROM conversations WHERE id = $1", [conversationId]))
      .rows[0]!.bot_state;

    const done = await ask(socket, "yes", conversationId);
    const replacement = await app.db.query<{ replacement_last4: string; estimated_delivery_on: Date }>(
      "SELECT replacement_last4, estimated_delivery_on FROM demo_card_replacements WHERE customer_id = 'C-1002'",
    );
    expect(replacement.rows).toHaveLength(1);
    const { replacement_last4: newLast4, estimated_delivery_on: delivery } = replacement.rows[0]!;
    expect(done.reply.content).toBe(
      `Done — your card ending 0000 is cancelled and can't be used any more. Your replacement card ending ${newLast4} is ordered and should arrive by ${delivery.toISOString().slice(0, 10)}.`,
    );
    expect(await count("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1002' AND kind = 'debit' AND status = 'cancelled'")).toBe(1);
    expect(await count("SELECT 1 FROM audit_log WHERE action = 'banking.report_card_lost'")).toBe(1);

    // A second yes: nothing is pending any more.
    await ask(socket, "yes", conversationId);
    // The same confirmation carried out again (a retried reply job finds the state it started from): the same one change.
    await app.db.query("UPDATE conversations SET bot_state = $2 WHERE id = $1", [conversationId, JSON.stringify(proposed)]);
    const again = await ask(socket, "yes", conversationId);
    expect(again.reply.content).toContain(`ending ${newLast4} is ordered`);
    expect(await count("SELECT 1 FROM demo_card_replacements WHERE customer_id = 'C-1002'")).toBe(1);
    socket.disconnect();
  });

  it("makes up a missed 零存整取 month from the everyday account after a yes, in Chinese", async () => {
    const socket = await customer("C-1001");
    const balance = async () =>
      Number(
        (
          await app.db.query<{ b: string }>(
            "SELECT balance_cents::text AS b FROM demo_accounts WHERE customer_id = 'C-1001' AND kind = 'current'",
          )
        ).rows[0]!.b,
      );
    const before = await balance();
    const confirm = await ask(socket, "帮我补存零存整取");
    expect(confirm.reply.content).toMatch(/漏存 1 期。确认现在从Everyday Account •••• 5678扣款 ¥2,000.00 补存一期吗？/);
    expect(await balance()).toBe(before);
    const done = await ask(socket, "确认", confirm.ack.conversationId);
    expect(done.reply.content).toMatch(/^已从Everyday Account •••• 5678扣款 ¥2,000.00 完成补存。您的零存整取已存 11 期，漏存 0 期/);
    expect(await balance()).toBe(before - 200_000);
    expect(await count("SELECT 1 FROM audit_log WHERE action = 'banking.make_up_instalment'")).toBe(1);
    // Nothing left to make up now.
    const none = await ask(socket, "帮我补存零存整取", confirm.ack.conversationId);
    expect(none.reply.content).toBe("您的零存整取没有漏存，无需补存。");
    socket.disconnect();
  });

  it("explains a transaction by its amount, in English and Chinese", async () => {
    const { rows } = await app.db.query<{ description: string; amount: string }>(
      `SELECT t.description, (-t.amount_cents / 100)::text AS amount FROM demo_transactions t JOIN demo_accounts a ON a.id = t.account_id
       WHERE a.customer_id = 'C-1001' AND t.amount_cents < 0 ORDER BY t.posted_at DESC LIMIT 1`,
    );
    const { description, amount } = rows[0]!;
    const socket = await customer("C-1001");
    const en = await ask(socket, `what is this ¥${amount} charge?`);
    expect(en.reply.content).toMatch(/^Here is what I found in the last 60 days:\n- \d{4}-\d{2}-\d{2} \*\*/);
    expect(en.reply.content).toContain(`**${description}**`);
    const zh = await ask(socket, `这笔${amount}元是什么`, en.ack.conversationId);
    expect(zh.reply.content).toMatch(/^近 60 天内找到以下交易：/);
    expect(zh.reply.content).toContain(`**${description}**`);
    const none = await ask(socket, "what is this ¥9876.54 charge?", en.ack.conversationId);
    expect(none.reply.content).toMatch(/couldn't find a transaction of ¥9,876.54/);
    socket.disconnect();
  });

  it("asks an anonymous visitor to sign in, and changes nothing", async () => {
    const { socket } = await connectWidget(app);
    for (const text of ["report my card lost and send me a new one", "帮我补存零存整取", "这笔38元是什么"]) {
      const { reply } = await ask(socket, text);
      expect(reply.content, text).toMatch(/sign in|登录/i);
      expect(reply.content, text).not.toMatch(/ending \d{4}|尾号|Here is what I found|近 60 天/);
    }
    expect(await count("SELECT 1 FROM demo_card_replacements")).toBe(1);
    socket.disconnect();
  });
});
