import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { IntentClassifier } from "./classifier.ts";
import { loadIntents, type IntentDef } from "./load.ts";

let intents: IntentDef[];
let clf: IntentClassifier;

// How fast it trains and classifies is measured by `npm run bench -- intents`, not asserted here.
beforeAll(async () => {
  intents = await loadIntents(path.resolve(import.meta.dirname, "../../../knowledge/intents"));
  clf = IntentClassifier.train(intents);
});

describe("IntentClassifier on the shipped intents", () => {
  it("classifies clear English requests", () => {
    expect(clf.classify("someone stole my wallet with my debit card inside").name).toBe("lost_card");
    expect(clf.classify("how much money is in my current account").name).toBe("check_balance");
    expect(clf.classify("what is the annual fee on this credit card").name).toBe("fees");
    expect(clf.classify("let me talk to a real person").name).toBe("human_request");
  });

  it("classifies clear Chinese requests, simplified and traditional", () => {
    expect(clf.classify("我想把信用卡账单分期").name).toBe("credit_card_instalment");
    expect(clf.classify("房贷利率现在是多少").name).toBe("home_loan");
    expect(clf.classify("請幫我凍結這張卡").name).toBe("freeze_card");
  });

  it("tolerates typos and full-width input", () => {
    expect(clf.classify("my crad was stolne").name).toBe("lost_card");
    expect(clf.classify("ＦＲＥＥＺＥ ＭＹ ＣＡＲＤ").name).toBe("freeze_card");
  });

  it("returns the intent's action", () => {
    const r = clf.classify("I want to speak to a human agent");
    expect(r.action).toBe("handoff");
    expect(clf.classify("show me my recent transactions").action).toBe("tool:transactions");
  });

  it("says out_of_scope for unrelated messages", () => {
    for (const t of ["what's the weather in Shenzhen this weekend", "recommend me a good sci-fi novel", "帮我写一首关于春天的诗"]) {
      const r = clf.classify(t);
      expect(r.name, t).toBe("out_of_scope");
      expect(r.action).toBe("answer");
    }
  });

  it("ranks intents by calibrated probability", () => {
    const r = clf.classify("I lost my card");
    expect(r.ranking.length).toBe(5);
    expect(r.ranking[0]!.name).toBe("lost_card");
    for (let i = 1; i < r.ranking.length; i++) expect(r.ranking[i]!.score).toBeLessThanOrEqual(r.ranking[i - 1]!.score);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.confidence).toBe(r.ranking[0]!.score);
  });

  it("is deterministic", () => {
    const again = IntentClassifier.train(intents);
    for (const t of ["卡丢了", "when does the branch open on saturday", "hello"]) expect(again.classify(t)).toEqual(clf.classify(t));
  });

  it("reports its calibration", () => {
    expect(clf.calibration).toBeDefined();
    expect(clf.temperature).toBeGreaterThan(0);
    expect(clf.calibration!.heldOutAccuracy).toBeGreaterThan(0.6);
    expect(clf.intents).toContain("lost_card");
    expect(clf.intents).not.toContain("out_of_scope");
  });
});

describe("IntentClassifier options and errors", () => {
  const tiny = [
    { name: "balance", action: "tool:balance", examples: ["what is my balance", "how much money do I have", "余额多少"] },
    { name: "lost", action: "tool:freeze_card", examples: ["I lost my card", "my card was stolen", "卡丢了"] },
    { name: "hours", action: "answer", examples: ["when are you open", "opening hours", "几点开门"] },
  ];

  it("works without the background class and with fixed calibration", () => {
    const c = IntentClassifier.train(tiny, { background: false, temperature: 1, threshold: 0 });
    expect(c.calibration).toBeUndefined();
    expect(c.classify("how much is my balance").name).toBe("balance");
    expect(c.classify("my card got stolen").name).toBe("lost");
  });

  it("rejects everything with a threshold of 1", () => {
    const c = IntentClassifier.train(tiny, { threshold: 1, temperature: 1 });
    expect(c.classify("what is my balance").name).toBe("out_of_scope");
  });

  it("rejects empty and duplicate intent lists", () => {
    expect(() => IntentClassifier.train([])).toThrow(/no intents/);
    expect(() => IntentClassifier.train([tiny[0]!, tiny[0]!])).toThrow(/duplicate/);
  });
});
