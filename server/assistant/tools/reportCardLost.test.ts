import { describe, expect, it } from "vitest";
import type { Card, CardReplacement, CoreBanking } from "../../banking/CoreBanking.ts";
import { confirmReportCardLost, proposeReportCardLost } from "./reportCardLost.ts";

const card = (id: string, kind: Card["kind"], last4: string, status: Card["status"] = "active"): Card => ({
  id,
  kind,
  product: kind === "debit" ? "Bayview UnionPay Debit" : "Bayview Classic Credit Card",
  last4,
  status,
  expires: "08/29",
});

function banking(cards: Card[], calls: unknown[] = []): CoreBanking {
  return {
    cards: async () => cards,
    reportCardLost: async (_c: string, cardId: string, request: unknown, opts: unknown): Promise<CardReplacement> => {
      calls.push({ cardId, request, opts });
      return {
        id: "r-1",
        card: { ...cards.find((c) => c.id === cardId)!, status: "cancelled" },
        replacementLast4: (request as { orderReplacement: boolean }).orderReplacement ? "9012" : null,
        status: (request as { orderReplacement: boolean }).orderReplacement ? "ordered" : "not_ordered",
        estimatedDeliveryOn: (request as { orderReplacement: boolean }).orderReplacement ? "2025-05-17" : null,
      };
    },
  } as unknown as CoreBanking;
}

describe("reporting a card lost", () => {
  const cards = [card("d", "debit", "1234"), card("c", "credit", "4321", "frozen")];

  it("asks which card when several could be meant", async () => {
    const r = await proposeReportCardLost(banking(cards), "C-1", "en", "report my card lost and send a new one");
    expect(r.pendingConfirmation).toBeUndefined();
    expect(r.quickReplies?.map((q) => q.text)).toEqual(["report card 1234 lost and replace it", "report card 4321 lost and replace it"]);
  });

  it("proposes a frozen card too, says plainly it is permanent, and fixes the key", async () => {
    const r = await proposeReportCardLost(banking(cards), "C-1", "en", "my credit card was stolen, cancel and replace it");
    expect(r.reply).toMatch(/^Report your card ending 4321 as stolen and order a replacement\? This is permanent/);
    expect(r.pendingConfirmation).toMatchObject({ tool: "report_card_lost", cardId: "c", reason: "stolen", orderReplacement: true });
    expect(r.pendingConfirmation!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("in Chinese, by the last four digits, and without a replacement when the customer says so", async () => {
    const r = await proposeReportCardLost(banking(cards), "C-1", "zh", "挂失尾号1234的卡，不用补卡");
    expect(r.reply).toMatch(/^确认将尾号 1234 的银行卡挂失（不补办新卡）吗？挂失是永久的/);
    expect(r.pendingConfirmation).toMatchObject({ cardId: "d", reason: "lost", orderReplacement: false });
  });

  it("says so when there is no card left to report", async () => {
    const r = await proposeReportCardLost(banking([]), "C-1", "en", "report my card lost");
    expect(r.reply).toMatch(/couldn't find an active card/);
  });

  it("carries it out under the proposal's key and tells the new card's last four and delivery date", async () => {
    const calls: unknown[] = [];
    const core = banking(cards, calls);
    const proposed = (await proposeReportCardLost(core, "C-1", "en", "report 1234 lost and replace it")).pendingConfirmation!;
    if (proposed.tool !== "report_card_lost") throw new Error("not a report");
    const done = await confirmReportCardLost(core, "C-1", { ...proposed, requestId: proposed.requestId! }, "en");
    expect(done.reply).toBe(
      "Done — your card ending 1234 is cancelled and can't be used any more. Your replacement card ending 9012 is ordered and should arrive by 2025-05-17.",
    );
    expect(done.target).toBe("card:1234");
    expect(calls).toEqual([
      { cardId: "d", request: { reason: "lost", orderReplacement: true }, opts: { idempotencyKey: proposed.requestId } },
    ]);
    const zh = await confirmReportCardLost(core, "C-1", { ...proposed, requestId: proposed.requestId! }, "zh");
    expect(zh.reply).toBe("已为您挂失尾号 1234 的银行卡，原卡已注销。新卡（尾号 9012）已下单，预计 2025-05-17 前送达。");
  });
});
