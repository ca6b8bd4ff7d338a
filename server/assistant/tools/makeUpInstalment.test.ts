import { describe, expect, it } from "vitest";
import type { Account, CoreBanking, Deposit } from "../../banking/CoreBanking.ts";
import { confirmMakeUpInstalment, payingAccount, proposeMakeUpInstalment } from "./makeUpInstalment.ts";

const plan = (id: string, missed: number, maturityOn = "2027-07-01"): Deposit => ({
  id,
  kind: "instalment",
  principal: 20_000,
  monthly: 2_000,
  ratePercent: 1.25,
  termMonths: 36,
  openedOn: "2024-07-01",
  maturityOn,
  paidInstalments: 10,
  missedInstalments: missed,
  autoRollover: false,
  expectedInterest: 1387.5,
});
const account = (id: string, kind: Account["kind"], balance: number, name: string): Account => ({
  id,
  kind,
  name,
  maskedNumber: `•••• ${id.padStart(4, "0")}`,
  currency: "CNY",
  balance,
  creditLimit: null,
});
const everyday = account("1111", "current", 23_580.42, "Everyday Account");
const savings = account("2222", "savings", 150_000, "Savings Account");
const credit = account("3333", "credit", -3_280, "Platinum Credit Card");

function banking(deposits: Deposit[], accounts: Account[], calls: unknown[] = []): CoreBanking {
  return {
    deposits: async () => deposits,
    accounts: async () => accounts,
    makeUpInstalment: async (_c: string, depositId: string, request: unknown, opts: unknown) => {
      calls.push({ depositId, request, opts });
      return { ...deposits.find((d) => d.id === depositId)!, paidInstalments: 11, missedInstalments: 0 };
    },
  } as unknown as CoreBanking;
}

describe("making up a missed instalment", () => {
  it("pays from the everyday account, else savings, never a credit account", () => {
    expect(payingAccount([credit, savings, everyday])).toBe(everyday);
    expect(payingAccount([credit, savings])).toBe(savings);
    expect(payingAccount([credit])).toBeUndefined();
  });

  it("proposes the missed amount from the everyday account and fixes the key", async () => {
    const r = await proposeMakeUpInstalment(
      banking([plan("p", 1)], [credit, savings, everyday]),
      "C-1",
      "en",
      "make up my missed instalment",
    );
    expect(r.reply).toMatch(
      /^Your instalment savings of ¥2,000.00 a month \(maturing 2027-07-01\) have 1 missed month\(s\)\. Pay one missed instalment of ¥2,000.00 from your Everyday Account •••• 1111 now\?/,
    );
    expect(r.pendingConfirmation).toMatchObject({ tool: "make_up_instalment", depositId: "p", fromAccountId: "1111", amount: 2_000 });
    expect(r.pendingConfirmation!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("says so when nothing is missed, or there is no plan", async () => {
    expect((await proposeMakeUpInstalment(banking([plan("p", 0)], [everyday]), "C-1", "en", "make up")).reply).toMatch(/up to date/);
    expect((await proposeMakeUpInstalment(banking([], [everyday]), "C-1", "zh", "补存")).reply).toBe("您目前没有零存整取存款。");
  });

  it("asks which plan when several are behind, by maturity date", async () => {
    const core = banking([plan("p", 1, "2027-07-01"), plan("q", 1, "2028-01-01")], [everyday]);
    const r = await proposeMakeUpInstalment(core, "C-1", "zh", "补存零存整取");
    expect(r.quickReplies?.map((q) => q.text)).toEqual(["补存零存整取 2027-07-01", "补存零存整取 2028-01-01"]);
    const picked = await proposeMakeUpInstalment(core, "C-1", "zh", "补存零存整取 2028-01-01");
    expect(picked.pendingConfirmation).toMatchObject({ depositId: "q" });
  });

  it("does not propose what the account cannot pay", async () => {
    const r = await proposeMakeUpInstalment(banking([plan("p", 1)], [{ ...everyday, balance: 500 }]), "C-1", "en", "make up");
    expect(r.reply).toMatch(/has ¥500.00, less than the ¥2,000.00 instalment/);
    expect(r.pendingConfirmation).toBeUndefined();
  });

  it("carries it out under the proposal's key and tells the plan's state", async () => {
    const calls: unknown[] = [];
    const core = banking([plan("p", 1)], [everyday], calls);
    const pending = (await proposeMakeUpInstalment(core, "C-1", "zh", "补存")).pendingConfirmation!;
    if (pending.tool !== "make_up_instalment") throw new Error("not a make-up");
    const done = await confirmMakeUpInstalment(core, "C-1", { ...pending, requestId: pending.requestId! }, "zh");
    expect(done.reply).toBe("已从Everyday Account •••• 1111扣款 ¥2,000.00 完成补存。您的零存整取已存 11 期，漏存 0 期，2027-07-01 到期。");
    expect(calls).toEqual([{ depositId: "p", request: { fromAccountId: "1111" }, opts: { idempotencyKey: pending.requestId } }]);
    expect(done.target).toBe("deposit:p");
  });
});
