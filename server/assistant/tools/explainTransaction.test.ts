import { describe, expect, it } from "vitest";
import type { CoreBanking, Transaction, TransactionQuery } from "../../banking/CoreBanking.ts";
import { amountIn, descriptionWords, explainTransaction, matchTransactions } from "./explainTransaction.ts";

const tx = (id: string, description: string, amount: number, day: string, accountName = "Everyday Account"): Transaction => ({
  id,
  accountName,
  postedAt: new Date(`${day}T10:00:00Z`),
  description,
  amount,
});

describe("amountIn", () => {
  it("reads the amount a customer asks about, with or without a currency", () => {
    expect(amountIn("what is this ¥38 charge?")).toBe(38);
    expect(amountIn("这笔38元是什么")).toBe(38);
    expect(amountIn("what's the 1,200.50 yuan payment")).toBe(1200.5);
    expect(amountIn("这笔３８块是什么")).toBe(38);
    expect(amountIn("扣了我￥45.5")).toBe(45.5);
    expect(amountIn("这笔三十八块是什么")).toBe(38);
    expect(amountIn("昨天扣了一千二百元")).toBe(1200);
    expect(amountIn("what is the 12 on my statement")).toBe(12);
  });

  it("reads amounts in Chinese numerals as people say them: with or without a currency, spoken short, with jiao and fen", () => {
    for (const [text, amount] of [
      ["这笔三十八块是什么", 38],
      ["一百二十元是什么扣款", 120],
      ["这笔两千是什么", 2000],
      ["扣了我两千块", 2000],
      ["两千五是什么钱", 2500],
      ["一千二的那笔", 1200],
      ["这笔一百二是什么", 120],
      ["两万五那笔转账", 25000],
      ["一百零五元", 105],
      ["三十八块五是什么", 38.5],
      ["三块五毛二的扣款", 3.52],
      ["一百二十元五角", 120.5],
      ["十五块钱那笔", 15],
      ["二十号那笔五十块", 50],
      ["这笔２０００是什么", 2000],
    ] as const) {
      expect([text, amountIn(text)]).toEqual([text, amount]);
    }
  });

  it("does not read Chinese words built on numerals as an amount", () => {
    for (const text of [
      "我十分不理解这笔扣款",
      "百货公司的那笔扣款是什么",
      "千万别扣我钱，这笔是什么",
      "十一月那笔扣款",
      "第二笔扣款是什么",
      "这三笔是什么",
    ]) {
      expect([text, amountIn(text)]).toEqual([text, null]);
    }
  });

  it("prefers the number with a currency over another number", () => {
    expect(amountIn("on the 3rd there was a ¥38 charge")).toBe(38);
  });

  it("is null without an amount", () => {
    expect(amountIn("what is this charge?")).toBeNull();
    expect(amountIn("这笔扣款是什么")).toBeNull();
  });
});

describe("matchTransactions", () => {
  const items = [
    tx("1", "Starbucks", -38, "2025-05-03"),
    tx("2", "Didi ride", -38, "2025-05-02"),
    tx("3", "Hema Fresh supermarket", -120, "2025-05-01"),
    tx("4", "Refund — JD.com order", 38, "2025-04-30"),
  ];

  it("finds money out and in of the amount", () => {
    expect(matchTransactions(items, 38, []).map((t) => t.id)).toEqual(["1", "2", "4"]);
  });

  it("narrows by a word of the description, and ignores words that match nothing", () => {
    expect(matchTransactions(items, 38, descriptionWords("what is the ¥38 didi charge")).map((t) => t.id)).toEqual(["2"]);
    expect(matchTransactions(items, 38, descriptionWords("what is the ¥38 taxi charge")).map((t) => t.id)).toEqual(["1", "2", "4"]);
  });

  it("keeps the question's own words out of the description words", () => {
    expect(descriptionWords("what is this ¥38 charge on my card?")).toEqual([]);
    expect(descriptionWords("这笔38元是什么")).toEqual([]);
    expect(descriptionWords("这笔38元的星巴克是什么")).toEqual(["星巴克"]);
  });
});

describe("explainTransaction", () => {
  const now = new Date("2025-05-10T12:00:00Z");
  function banking(items: Transaction[], queries: TransactionQuery[] = []): CoreBanking {
    return {
      transactions: async (_c: string, q: TransactionQuery = {}) => {
        queries.push(q);
        // Two pages: the tool follows the cursor.
        return q.cursor ? { items: items.slice(2), nextCursor: null } : { items: items.slice(0, 2), nextCursor: "next" };
      },
    } as unknown as CoreBanking;
  }

  it("shows the matches of the last 60 days with date, description, account and amount", async () => {
    const queries: TransactionQuery[] = [];
    const core = banking(
      [
        tx("1", "Starbucks", -38, "2025-05-03"),
        tx("2", "Didi ride", -12, "2025-05-02"),
        tx("3", "China Mobile top-up", -38, "2025-04-01", "Savings"),
      ],
      queries,
    );
    const r = await explainTransaction(core, "C-1", "en", "what is this ¥38 charge?", now);
    expect(r.reply).toBe(
      "Here is what I found in the last 60 days:\n- 2025-05-03 **Starbucks** (Everyday Account): -¥38.00\n- 2025-04-01 **China Mobile top-up** (Savings): -¥38.00",
    );
    expect(queries).toEqual([
      { from: "2025-03-11", to: "2025-05-10", limit: 100, cursor: undefined },
      { from: "2025-03-11", to: "2025-05-10", limit: 100, cursor: "next" },
    ]);
    expect(r.pendingConfirmation).toBeUndefined();
  });

  it("shows at most three and says how many more", async () => {
    const items = [1, 2, 3, 4, 5].map((i) => tx(String(i), `Shop ${i}`, -38, `2025-05-0${i}`));
    const r = await explainTransaction(banking(items), "C-1", "zh", "这笔38元是什么", now);
    expect(r.reply.startsWith("近 60 天内找到以下交易：")).toBe(true);
    expect(r.reply.match(/^- /gm)).toHaveLength(3);
    expect(r.reply).toContain("另有 2 笔");
  });

  it("says when nothing matches, with what to do about a payment they don't recognise and a person", async () => {
    const r = await explainTransaction(banking([tx("1", "Starbucks", -12, "2025-05-03")]), "C-1", "en", "what is the ¥38 charge", now);
    expect(r.reply).toMatch(/couldn't find a transaction of ¥38\.00.*Report a problem.*400-820-5588/s);
    expect(r.quickReplies).toEqual([{ label: "Talk to a person", text: "Talk to a person" }]);
  });

  it("asks for the amount when there is none, without calling the core", async () => {
    const queries: TransactionQuery[] = [];
    const r = await explainTransaction(banking([], queries), "C-1", "en", "what is this charge?", now);
    expect(r.reply).toMatch(/Tell me its amount/);
    expect(queries).toEqual([]);
  });
});
