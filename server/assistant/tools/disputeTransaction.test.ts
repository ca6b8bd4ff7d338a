import { describe, expect, it } from "vitest";
import type { Account, Card, CoreBanking, Transaction, TransactionQuery } from "../../banking/CoreBanking.ts";
import type { DisputeCaseRequest } from "../../cases/openDisputeCase.ts";
import { asksToDispute, confirmDispute, disputable, proposeDispute, wantsDispute, type DisputeCasesPort } from "./disputeTransaction.ts";

const NOW = new Date("2026-03-20T12:00:00Z");
const tx = (id: string, description: string, amount: number, day: string, accountName = "Everyday Account"): Transaction => ({
  id,
  accountName,
  postedAt: new Date(`${day}T10:00:00Z`),
  description,
  amount,
});
const ITEMS = [
  tx("t1", "Apple Store Shanghai", -3280, "2026-03-09", "Platinum Credit Card"),
  tx("t2", "Starbucks", -38, "2026-03-08"),
  tx("t3", "Didi ride", -38, "2026-03-05"),
  tx("t4", "Refund — JD.com order", 3280, "2026-03-04"),
];
const accounts: Account[] = [
  { id: "a1", kind: "current", name: "Everyday Account", maskedNumber: "•••• 5678", currency: "CNY", balance: 100, creditLimit: null },
  {
    id: "a2",
    kind: "credit",
    name: "Platinum Credit Card",
    maskedNumber: "•••• 4321",
    currency: "CNY",
    balance: -3280,
    creditLimit: 50000,
  },
];

function bank(cards: Card[] = []): CoreBanking {
  return {
    transactions: async (_id: string, q?: TransactionQuery) => {
      expect(q?.from).toBe("2026-01-19");
      return { items: ITEMS, nextCursor: null };
    },
    accounts: async () => accounts,
    cards: async () => cards,
  } as unknown as CoreBanking;
}

const card = (kind: Card["kind"], status: Card["status"]): Card => ({
  id: `c-${kind}`,
  kind,
  product: kind,
  last4: kind === "credit" ? "4321" : "0000",
  status,
  expires: "2029-01",
});

describe("which messages ask for a dispute", () => {
  it("reads a dispute word or an amount, not a bare complaint about a strange charge", () => {
    expect(asksToDispute("I don't recognise this ¥3,280 payment, I want to dispute it")).toBe(true);
    expect(asksToDispute("这笔3280元不是我刷的，我要申诉")).toBe(true);
    expect(asksToDispute("can I do a chargeback")).toBe(true);
    expect(wantsDispute("I don't recognise a charge of 3,000 yuan")).toBe(true);
    expect(wantsDispute("there's a charge I didn't make")).toBe(false);
    expect(wantsDispute("卡里有一笔不认识的扣款")).toBe(false);
  });

  it("reads 申诉 and 异议 as a dispute only about a payment: they also mean a complaint, an appeal, an objection", () => {
    expect(asksToDispute("我要申诉一笔交易")).toBe(true);
    expect(asksToDispute("提申訴之後多久會給申訴編號")).toBe(false);
    expect(asksToDispute("征信上你们报的有错 提异议多久答复")).toBe(false);
  });
});

describe("disputable", () => {
  it("finds money out of the amount asked about, never money in", () => {
    expect(disputable(ITEMS, "dispute the ¥3,280 payment").map((t) => t.id)).toEqual(["t1"]);
    expect(disputable(ITEMS, "dispute the ¥38 payment").map((t) => t.id)).toEqual(["t2", "t3"]);
  });

  it("narrows by a word of the merchant or by the day a choice names", () => {
    expect(disputable(ITEMS, "dispute the ¥38 didi payment").map((t) => t.id)).toEqual(["t3"]);
    expect(disputable(ITEMS, "dispute the ¥38.00 payment at Starbucks on 2026-03-08").map((t) => t.id)).toEqual(["t2"]);
    expect(disputable(ITEMS, "申诉 2026-03-05 Didi ride ¥38.00 这笔交易").map((t) => t.id)).toEqual(["t3"]);
    expect(disputable(ITEMS, "dispute it")).toEqual([]);
  });
});

describe("proposeDispute", () => {
  it("proposes one payment with its amount, merchant and date, in English and Chinese", async () => {
    const en = await proposeDispute(bank(), "C-1", "en", "I don't recognise this ¥3,280 payment, I want to dispute it", NOW);
    expect(en.reply).toBe("Open a dispute for ¥3,280.00 at Apple Store Shanghai on 2026-03-09? Reply yes or no.");
    expect(en.quickReplies?.map((q) => q.text)).toEqual(["Yes, go ahead", "No, cancel"]);
    expect(en.pendingConfirmation).toMatchObject({
      tool: "dispute_transaction",
      transactionId: "t1",
      amount: 3280,
      currency: "CNY",
      merchant: "Apple Store Shanghai",
      date: "2026-03-09",
      cardKind: "credit",
    });
    expect(en.pendingConfirmation?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const zh = await proposeDispute(bank(), "C-1", "zh", "这笔3280元的消费不是我刷的，我要申诉", NOW);
    expect(zh.reply).toBe("确认对 2026-03-09 在 Apple Store Shanghai 的 ¥3,280.00 消费提出申诉吗？请回复“确认”或“取消”。");
    expect(zh.quickReplies?.map((q) => q.text)).toEqual(["确认", "取消"]);
  });

  it("asks which of several, each quick reply naming one (which then matches it alone)", async () => {
    const r = await proposeDispute(bank(), "C-1", "en", "dispute the ¥38 charge", NOW);
    expect(r.reply).toBe("I found several payments of ¥38.00. Which one do you want to dispute?");
    expect(r.pendingConfirmation).toBeUndefined();
    expect(r.quickReplies).toHaveLength(2);
    for (const [i, id] of ["t2", "t3"].entries()) expect(disputable(ITEMS, r.quickReplies![i]!.text).map((t) => t.id)).toEqual([id]);
    const zh = await proposeDispute(bank(), "C-1", "zh", "申诉这笔38元", NOW);
    expect(zh.reply).toBe("找到多笔金额为 ¥38.00 的支出，请选择要申诉的一笔：");
    expect(disputable(ITEMS, zh.quickReplies![1]!.text).map((t) => t.id)).toEqual(["t3"]);
  });

  it("says when none matches and offers a person, and asks for the amount when none is given", async () => {
    const none = await proposeDispute(bank(), "C-1", "en", "dispute the ¥9,876.54 payment", NOW);
    expect(none.reply).toMatch(/^I couldn't find a payment of ¥9,876.54 in the last 60 days/);
    expect(none.quickReplies?.map((q) => q.text)).toEqual(["Talk to a person"]);
    expect(none.pendingConfirmation).toBeUndefined();
    const zh = await proposeDispute(bank(), "C-1", "zh", "我要申诉一笔交易", NOW);
    expect(zh.reply).toMatch(/^请告诉我要申诉的交易金额/);
  });
});

describe("confirmDispute", () => {
  const pending = {
    tool: "dispute_transaction" as const,
    transactionId: "t1",
    amount: 3280,
    currency: "CNY",
    merchant: "Apple Store Shanghai",
    date: "2026-03-09",
    accountName: "Platinum Credit Card",
    cardKind: "credit" as const,
    expiresAt: NOW.getTime() + 60_000,
    requestId: "key-1",
  };
  const port = (acknowledgeBy: string | null) => {
    const calls: DisputeCaseRequest[] = [];
    const p: DisputeCasesPort = {
      open: async (req) => (calls.push(req), { reference: "CR-2026-000123", created: true, acknowledgeBy, finalResponseBy: "2026-03-24" }),
    };
    return { p, calls };
  };

  it("opens the case under the confirmation's key and tells the reference and dates, recommending a freeze", async () => {
    const { p, calls } = port("2026-03-10");
    const done = await confirmDispute(bank([card("credit", "active"), card("debit", "active")]), p, "C-1", "conv-1", pending, "en");
    expect(calls).toEqual([
      {
        conversationId: "conv-1",
        language: "en",
        requestKey: "key-1",
        transaction: {
          transactionId: "t1",
          amount: 3280,
          currency: "CNY",
          merchant: "Apple Store Shanghai",
          date: "2026-03-09",
          accountName: "Platinum Credit Card",
          cardKind: "credit",
        },
      },
    ]);
    expect(done.reply).toMatch(
      /^I've opened a dispute for ¥3,280.00 at Apple Store Shanghai on 2026-03-09 under reference CR-2026-000123\. We'll be in touch by 10 March 2026, and you will have our final response by 24 March 2026 at the latest\./,
    );
    expect(done.reply).toContain("I recommend freezing it now");
    expect(done.quickReplies).toEqual([{ label: "Freeze my card", text: "freeze my credit card" }]);
    expect(done.target).toBe("case:CR-2026-000123");
  });

  it("in Chinese, without an acknowledgement clock, and no freeze tip when that card is frozen already", async () => {
    const { p } = port(null);
    const done = await confirmDispute(bank([card("credit", "frozen"), card("debit", "active")]), p, "C-1", "conv-1", pending, "zh");
    expect(done.reply).toBe(
      "已为您就 2026-03-09 在 Apple Store Shanghai 的 ¥3,280.00 消费提出申诉，编号 CR-2026-000123。最迟于 2026年3月24日 前给您最终答复。今后联系我们时请提供编号 CR-2026-000123。",
    );
    expect(done.quickReplies).toBeUndefined();
  });

  it("needs the conversation and the cases port", async () => {
    await expect(confirmDispute(bank(), undefined, "C-1", "conv-1", pending, "en")).rejects.toThrow(/cases port/);
  });
});
