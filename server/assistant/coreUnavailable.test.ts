import { describe, expect, it } from "vitest";
import { Assistant } from "./Assistant.ts";
import { OfflineGenerator } from "./generators/OfflineGenerator.ts";
import { LexiconSentiment } from "./sentiment/index.ts";
import type { IntentClassifier, IntentPrediction } from "./intents/classifier.ts";
import type { Card, CoreBanking } from "../banking/CoreBanking.ts";
import { CoreBankingError, type CoreBankingFailure } from "../banking/errors.ts";
import type { BotState } from "./types.ts";

/**
 * What the customer hears when the core system cannot answer (the adapter's own
 * behaviour is tested against a real server in banking/http): a clear message, what
 * to do meanwhile, and a person; never a claim that a change was or was not made.
 */
const card: Card = { id: "card-1", kind: "debit", product: "Everyday Debit", last4: "4242", status: "active", expires: "08/29" };

const unused = async (): Promise<never> => {
  throw new Error("not used by these tools");
};

function core(fail: CoreBankingFailure | null, calls: string[] = []): CoreBanking {
  const go = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    if (fail) throw new CoreBankingError(fail, `Core banking ${name} failed`);
    return value;
  };
  return {
    accounts: () => go("accounts", []),
    cards: () => go("cards", [card]),
    transactions: () => go("transactions", { items: [], nextCursor: null }),
    transaction: unused,
    deposits: () => go("deposits", []),
    depositSchedule: () => go("depositSchedule", []),
    setCardStatus: (_c, _id, status, opts) => (
      calls.push(`setCardStatus:${opts?.idempotencyKey}`),
      go("setCardStatus", { ...card, status })
    ),
    reportCardLost: unused,
    makeUpInstalment: unused,
    contactDetails: unused,
  };
}

function assistant(banking: CoreBanking, intent: Partial<IntentPrediction>) {
  const prediction: IntentPrediction = { name: "check_balance", confidence: 0.95, action: "tool:balance", ranking: [], ...intent };
  return new Assistant({
    knowledge: { query: async () => [], sectionPaths: () => [], termWeight: () => 1, articleTerms: () => new Set<string>() },
    intents: () => ({ classify: () => prediction }) as unknown as IntentClassifier,
    sentiment: new LexiconSentiment(),
    banking,
    generator: new OfflineGenerator(),
  });
}

const ask = (a: Assistant, text: string, botState: BotState = {}) =>
  a.respond({ text, verifiedCustomerId: "C-1001", botState, history: [] });

describe("the assistant when the core system cannot answer", () => {
  for (const failure of ["timeout", "unreachable", "server_error", "circuit_open", "bad_response"] as const) {
    it(`says our systems are busy and hands off (${failure})`, async () => {
      const r = await ask(assistant(core(failure), {}), "what's my balance?");
      expect(r.reply).toMatch(/^Our systems are busy right now.*Bayview Mobile.*400-820-5588/s);
      expect(r.handoff).toMatchObject({ needed: true, reason: "core_banking_unavailable" });
      expect(r.handoff.summary).toMatch(/core system did not answer/);
      expect(r.trace.find((t) => t.step === "tool")).toMatchObject({ tool: "balance", unavailable: failure });
    });
  }

  it("answers in Chinese in Chinese", async () => {
    const r = await ask(assistant(core("timeout"), {}), "我的余额是多少");
    expect(r.reply).toMatch(/系统暂时繁忙/);
    expect(r.handoff.needed).toBe(true);
  });

  it("does not hide other failures as 'busy' (a card that is not the customer's is a bug, not an outage)", async () => {
    await expect(ask(assistant(core("not_found"), {}), "what's my balance?")).rejects.toMatchObject({ failure: "not_found" });
  });

  it("hands off a confirmed freeze the core did not acknowledge, without saying it is frozen, under the proposal's key", async () => {
    const calls: string[] = [];
    const freeze = { name: "freeze_card", action: "tool:freeze_card" };
    const proposed = await ask(assistant(core(null, calls), freeze), "freeze my card");
    const pending = proposed.botState.pendingConfirmation!;
    expect(pending.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const r = await ask(assistant(core("timeout", calls), { name: "confirm", action: "answer" }), "yes", proposed.botState);
    expect(r.reply).toMatch(/Our systems are busy/);
    expect(r.reply).not.toMatch(/frozen/);
    expect(r.handoff).toMatchObject({ needed: true, reason: "core_banking_unavailable" });
    expect(r.botState.pendingConfirmation).toBeUndefined();
    expect(calls).toContain(`setCardStatus:${pending.requestId}`);
  });
});
