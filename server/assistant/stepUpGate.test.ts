import { describe, expect, it } from "vitest";
import { Assistant } from "./Assistant.ts";
import { OfflineGenerator } from "./generators/OfflineGenerator.ts";
import { LexiconSentiment } from "./sentiment/index.ts";
import type { IntentClassifier, IntentPrediction } from "./intents/classifier.ts";
import type { Card, CoreBanking } from "../banking/CoreBanking.ts";
import type { AssistantInput, BotState } from "./types.ts";
import type { AnswerGenerator } from "./generators/AnswerGenerator.ts";

/**
 * The assistant's side of step-up verification: which tools wait for a code, that
 * nothing of the account is read or changed before it, and what happens after.
 */
const card: Card = { id: "card-1", kind: "debit", product: "Everyday Debit", last4: "4242", status: "active", expires: "08/29" };

function core(calls: string[]): CoreBanking {
  const go = async <T>(name: string, value: T) => (calls.push(name), value);
  const unused = async (): Promise<never> => {
    throw new Error("not used");
  };
  return {
    accounts: () => go("accounts", []),
    cards: () => go("cards", [card]),
    transactions: () => go("transactions", { items: [], nextCursor: null }),
    transaction: unused,
    deposits: () => go("deposits", []),
    depositSchedule: unused,
    setCardStatus: (_c, _id, status) => go("setCardStatus", { ...card, status }),
    reportCardLost: unused,
    makeUpInstalment: unused,
    contactDetails: unused,
  };
}

const INTENTS: Record<string, Partial<IntentPrediction>> = {
  balance: { name: "check_balance", action: "tool:balance" },
  transactions: { name: "recent_transactions", action: "tool:transactions" },
  freeze: { name: "freeze_card", action: "tool:freeze_card" },
  dispute: { name: "unrecognised_transaction", action: "tool:dispute_transaction" },
  yes: { name: "confirm", action: "answer" },
};

function assistant(calls: string[], generated: string[] = []) {
  let next: Partial<IntentPrediction> = INTENTS.balance!;
  const generator: AnswerGenerator = {
    kind: "offline",
    generate: async (input) => (generated.push(input.question), new OfflineGenerator().generate(input)),
  } as AnswerGenerator;
  const a = new Assistant({
    knowledge: { query: async () => [], sectionPaths: () => [], termWeight: () => 1, articleTerms: () => new Set<string>() },
    intents: () => ({ classify: () => ({ confidence: 0.95, ranking: [], ...next }) as IntentPrediction }) as unknown as IntentClassifier,
    sentiment: new LexiconSentiment(),
    banking: core(calls),
    generator,
    // Never reached here: no dispute is confirmed in these tests.
    disputes: { open: () => Promise.reject(new Error("not used")) },
  });
  return {
    a,
    ask: (
      intent: keyof typeof INTENTS,
      text: string,
      botState: BotState,
      stepUp?: AssistantInput["stepUp"],
      /** None: the CLI's call. */
      conversationId: string | null = "conv-1",
    ) => {
      next = INTENTS[intent]!;
      return a.respond({ text, verifiedCustomerId: "C-1001", botState, history: [], stepUp, conversationId: conversationId ?? undefined });
    },
  };
}

const policy =
  (verified: boolean): AssistantInput["stepUp"] =>
  async () => ({
    requires: { low: "identity", medium: "code", high: "code" },
    verified,
  });

describe("step-up in the assistant", () => {
  it("answers low-risk questions on the page identity, and reads nothing for a medium or high one until the code", async () => {
    const calls: string[] = [];
    const { ask } = assistant(calls);
    expect((await ask("balance", "what's my balance?", {}, policy(false))).reply).toMatch(/balances/);
    expect(calls).toEqual(["accounts"]);
    calls.length = 0;

    const tx = await ask("transactions", "show my transactions", {}, policy(false));
    expect(tx.stepUp).toEqual({ tool: "transactions", risk: "medium" });
    expect(tx.botState.pendingStepUp).toMatchObject({ tool: "transactions", risk: "medium", text: "show my transactions", language: "en" });
    expect(tx.trace.find((t) => t.step === "step_up")).toMatchObject({ tool: "transactions", risk: "medium" });
    const freeze = await ask("freeze", "freeze my card", {}, policy(false));
    expect(freeze.stepUp).toEqual({ tool: "freeze_card", risk: "high" });
    expect(freeze.botState.pendingConfirmation).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("runs the waiting tool after the code, proposing the change as always; another challenge's id resumes nothing", async () => {
    const calls: string[] = [];
    const { a, ask } = assistant(calls);
    const asked = await ask("freeze", "freeze my card", {}, policy(false));
    const botState = { ...asked.botState, pendingStepUp: { ...asked.botState.pendingStepUp!, challengeId: "ch-1" } };
    expect(await a.resumeAfterStepUp({ verifiedCustomerId: "C-1001", botState, challengeId: "ch-2" })).toBeNull();
    const expired = { ...botState, pendingStepUp: { ...botState.pendingStepUp, expiresAt: Date.now() - 1 } };
    expect(await a.resumeAfterStepUp({ verifiedCustomerId: "C-1001", botState: expired, challengeId: "ch-1" })).toBeNull();
    expect(calls).toEqual([]);

    const resumed = await a.resumeAfterStepUp({ verifiedCustomerId: "C-1001", botState, challengeId: "ch-1" });
    if (!resumed || "unavailable" in resumed) throw new Error("expected a reply");
    expect(resumed.reply).toMatch(/^Thank you, that's confirmed\.\n\nDo you want me to freeze your card ending 4242\?/);
    expect(resumed.botState.pendingStepUp).toBeUndefined();
    expect(resumed.botState.pendingConfirmation).toMatchObject({ tool: "freeze_card", cardId: "card-1", request: "freeze my card" });
    expect(calls).toEqual(["cards"]);

    // The yes within the window freezes it.
    const done = await ask("yes", "yes", resumed.botState, policy(true));
    expect(done.reply).toMatch(/now frozen/);
    expect(calls).toEqual(["cards", "setCardStatus"]);
  });

  it("asks for a code again when the window lapsed between the proposal and the yes, and changes nothing", async () => {
    const calls: string[] = [];
    const { ask } = assistant(calls);
    const proposed = await ask("freeze", "freeze my card", {}, policy(true));
    expect(proposed.botState.pendingConfirmation).toBeDefined();
    const yes = await ask("yes", "yes", proposed.botState, policy(false));
    expect(yes.stepUp).toEqual({ tool: "freeze_card", risk: "high" });
    expect(yes.botState.pendingConfirmation).toBeUndefined();
    expect(yes.botState.pendingStepUp).toMatchObject({ tool: "freeze_card", text: "freeze my card" });
    expect(calls).toEqual(["cards"]);
  });

  it("asks for the code before finding a payment to dispute, but not for the guide's steps on a strange charge", async () => {
    const calls: string[] = [];
    const { ask } = assistant(calls);
    const dispute = await ask("dispute", "I don't recognise this ¥3,280 payment, I want to dispute it", {}, policy(false));
    expect(dispute.stepUp).toEqual({ tool: "dispute_transaction", risk: "high" });
    expect(dispute.botState.pendingStepUp).toMatchObject({ tool: "dispute_transaction" });
    const strange = await ask("dispute", "there's a charge I didn't make", {}, policy(false));
    expect(strange.stepUp).toBeUndefined();
    expect(strange.quickReplies.map((q) => q.text)).toEqual(["I want to dispute a payment", "freeze my card", "Talk to a person"]);
    expect(calls).toEqual([]);
    // Verified by code: the payment is looked for (none of that amount here).
    const after = await ask("dispute", "I don't recognise this ¥3,280 payment, I want to dispute it", {}, policy(true));
    expect(after.reply).toMatch(/^I couldn't find a payment of ¥3,280.00/);
    expect(calls).toEqual(["transactions"]);
  });

  it("proposes no dispute without a conversation to open its case in (the CLI)", async () => {
    const calls: string[] = [];
    const { ask } = assistant(calls);
    const r = await ask("dispute", "I want to dispute the ¥38 payment", {}, undefined, null);
    expect(r.reply).toMatch(/^I can open a dispute only in a chat with us/);
    expect(r.botState.pendingConfirmation).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("does not read a code typed into the chat as a question, nor send it to the answer generator", async () => {
    const calls: string[] = [];
    const generated: string[] = [];
    const { ask } = assistant(calls, generated);
    const asked = await ask("freeze", "freeze my card", {}, policy(false));
    const typed = await ask("balance", " 042917 ", asked.botState, policy(false));
    expect(typed.reply).toMatch(/^Please type the code in the code box/);
    expect(typed.botState.pendingStepUp).toEqual(asked.botState.pendingStepUp);
    expect(generated).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("without step-up settings (the CLI, an inbox that has none) the page identity is enough", async () => {
    const calls: string[] = [];
    const { ask } = assistant(calls);
    const r = await ask("freeze", "freeze my card", {});
    expect(r.stepUp).toBeUndefined();
    expect(r.reply).toMatch(/freeze your card ending 4242\?/);
  });
});
