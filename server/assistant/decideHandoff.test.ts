import { describe, expect, it } from "vitest";
import {
  asksForPerson,
  decideHandoff,
  mentionsPersonOrBot,
  restatedQuestion,
  SENSITIVE_CONFIDENCE,
  statesHardship,
  type HandoffSignals,
} from "./decideHandoff.ts";

const signals = (text: string, intent: Partial<HandoffSignals["intent"]> = {}, score = 0): HandoffSignals => ({
  text,
  intent: { name: "out_of_scope", confidence: 0.9, action: "answer", ...intent },
  sentiment: { score, trend: "stable" },
  botState: {},
  rejectedPrevious: false,
});

describe("decideHandoff — requests for a person", () => {
  it("hands off indirect requests that the intent classifier did not recognise", () => {
    for (const t of [
      "is there anyone else I can talk to about this",
      "could you pass me on to a colleague",
      "hook me up with a real agent",
      "这个机器人解决不了",
      "你解决不了，找个人来",
      "还有别人可以帮我吗",
      "让专员联系我",
    ]) {
      const d = decideHandoff(signals(t));
      expect(d, t).toMatchObject({ needed: true, reason: "explicit_request" });
    }
  });

  it("does not take a classifier's human_request on a message that names no person or bot", () => {
    const d = decideHandoff(
      signals("I'd like more checkbooks mailed to me", { name: "human_request", action: "handoff", confidence: 0.8 }),
    );
    expect(d.needed).toBe(false);
    expect(mentionsPersonOrBot("checkbooks mailed to me")).toBe(false);
  });

  it("does not read someone who did something as a request for someone", () => {
    expect(asksForPerson("it looks like someone made an unauthorized purchase on my account")).toBe(false);
    expect(asksForPerson("i need help since someone stole my card")).toBe(false);
    expect(asksForPerson("I'd like someone to call me back")).toBe(true);
    expect(asksForPerson("would someone from the bank ever call me and ask for my code?")).toBe(false);
  });

  it("reads 'someone in charge' as a person, not as a fee question", () => {
    const d = decideHandoff(signals("can I talk to someone in charge", { name: "human_request", action: "handoff", confidence: 0.99 }));
    expect(d).toMatchObject({ needed: true, reason: "explicit_request", unlessAnswered: false });
  });

  it("still answers questions about the human service from the knowledge base", () => {
    const d = decideHandoff(
      signals("when is customer service open at weekends?", { name: "human_request", action: "handoff", confidence: 0.9 }),
    );
    expect(d).toMatchObject({ needed: true, unlessAnswered: true });
    // "Which number do I dial from abroad": asked with 哪个 and 拨, not 号码.
    const dial = decideHandoff(signals("人在国外 打你们客服要拨哪个号", { name: "human_request", action: "handoff", confidence: 0.9 }));
    expect(dial).toMatchObject({ needed: true, unlessAnswered: true });
  });
});

describe("decideHandoff — sensitive topics and mood", () => {
  it("needs a sure intent before a sensitive topic goes to a person", () => {
    const sure = decideHandoff(
      signals("someone logged into my online banking", { name: "fraud_report", action: "handoff", confidence: SENSITIVE_CONFIDENCE }),
    );
    expect(sure).toMatchObject({ needed: true, reason: "sensitive_topic" });
    const unsure = decideHandoff(signals("move my money please", { name: "fraud_report", action: "handoff", confidence: 0.55 }));
    expect(unsure.needed).toBe(false);
  });

  it("hands hardship to a person on the intent alone only when the message names money trouble", () => {
    const hardship = { name: "vulnerable_customer", action: "handoff", confidence: 0.9 };
    for (const text of ["I lost my job and can't pay my loan", "信用卡逾期了，实在没钱还", "my mother passed away and I can't cope"]) {
      expect(statesHardship(text)).toBe(true);
      expect(decideHandoff(signals(text, hardship))).toMatchObject({ needed: true, reason: "sensitive_topic" });
    }
    // A card that no longer works, or a routine order, is a task even when the classifier calls it hardship.
    expect(statesHardship("I'm completely broke and can't make the repayment")).toBe(true);
    // Hardship beyond the glossary's terms: payments out of reach, illness, relief asked for.
    for (const text of [
      "I won't be able to make this month's mortgage payment",
      "I've been in hospital and fell behind",
      "能不能减免一些利息",
    ])
      expect(statesHardship(text)).toBe(true);
    for (const text of [
      "my card stopped working because it is cracked",
      "please send me a new chequebook",
      "I broke my card in the car door",
    ]) {
      expect(statesHardship(text)).toBe(false);
      expect(decideHandoff(signals(text, hardship)).needed).toBe(false);
      // …except for a customer recorded as vulnerable.
      expect(decideHandoff({ ...signals(text, hardship), vulnerable: true }).needed).toBe(true);
    }
    // Other sensitive topics do not need it.
    expect(decideHandoff(signals("someone logged into my online banking", { ...hardship, name: "fraud_report" })).needed).toBe(true);
  });

  it("hands a very negative message to a person", () => {
    expect(decideHandoff(signals("this is a disgrace", {}, -0.8))).toMatchObject({ needed: true, reason: "negative_sentiment" });
    expect(decideHandoff(signals("my card is damaged", {}, -0.3)).needed).toBe(false);
  });
});

describe("decideHandoff — Chinese wording", () => {
  it("does not read 个人 (personal) or hiring help as asking for a person", () => {
    expect(asksForPerson("我要个人贷款")).toBe(false);
    expect(asksForPerson("找人代还信用卡可以吗")).toBe(false);
    expect(asksForPerson("叫个懂行的人来")).toBe(true);
    expect(asksForPerson("可以转给其他人吗")).toBe(true);
  });
});

describe("decideHandoff — an upset or sensitive message that also asks something", () => {
  it("hands off and lets the guide's answer go first when the message asks a question", () => {
    const scam = decideHandoff(
      signals("i think i just got scammed and sent money, what do i do first", { name: "fraud", action: "handoff", confidence: 0.9 }),
    );
    expect(scam).toMatchObject({ needed: true, reason: "sensitive_topic", answerFirst: true });
    const angry = decideHandoff(signals("this stupid card is locked again, when does it unlock", {}, -0.8));
    expect(angry).toMatchObject({ needed: true, reason: "negative_sentiment", answerFirst: true });
    const zh = decideHandoff(signals("刚被骗转了钱咋办 先打哪个电话", { name: "fraud", action: "handoff", confidence: 0.9 }));
    expect(zh).toMatchObject({ needed: true, answerFirst: true });
  });

  it("hands off with nothing quoted when the message asks nothing", () => {
    expect(decideHandoff(signals("this is ridiculous, worst bank ever", {}, -0.9)).answerFirst).toBe(false);
    const complaint = decideHandoff(
      signals("I want to complain about your branch staff", { name: "complaint", action: "handoff", confidence: 0.9 }),
    );
    expect(complaint).toMatchObject({ needed: true, reason: "complaint", answerFirst: false });
  });

  it("lets the guide's answer go first on a sensitive matter even when nothing is asked: what to do now", () => {
    const fraud = { name: "fraud", action: "handoff", confidence: 0.9 };
    expect(decideHandoff(signals("someone stole my card", fraud))).toMatchObject({
      needed: true,
      reason: "sensitive_topic",
      answerFirst: true,
    });
    expect(decideHandoff(signals("i think i just got scammed, sent 20k to a fake police officer. HELP", fraud)).answerFirst).toBe(true);
  });

  it("answers a complaint's question first, and lets a question about complaints be answered", () => {
    const complaint = { name: "complaint", action: "handoff", confidence: 0.9 };
    // A complaint that asks something: the guide's answer, then the complaint's procedure.
    expect(decideHandoff(signals("i want to send a complaint by post, what's the address", complaint))).toMatchObject({
      needed: true,
      reason: "complaint",
      answerFirst: true,
    });
    // Questions about complaints, however informally asked, are information questions.
    for (const text of [
      "whats the regulator's complaint hotline number",
      "if my complaint is upheld and you refund me, how long before the money shows up",
    ])
      expect(decideHandoff(signals(text, complaint)), text).toMatchObject({ unlessAnswered: true, answerFirst: false });
  });
});

describe("decideHandoff — a customer recorded as vulnerable", () => {
  const sensitive = { name: "bereavement", action: "handoff", confidence: 0.55 };
  it("hands a sensitive topic to a person below the ordinary bar", () => {
    const text = "my husband passed away last month and his card is still active";
    expect(decideHandoff(signals(text, sensitive)).needed).toBe(false);
    expect(decideHandoff({ ...signals(text, sensitive), vulnerable: true })).toMatchObject({ needed: true, reason: "sensitive_topic" });
  });

  it("hands off any message that reads as negative, not only strongly negative ones", () => {
    const mild = {
      ...signals("I'm not happy with how this went", {}, -0.2),
      sentiment: { score: -0.2, trend: "stable" as const, label: "negative" as const },
    };
    expect(decideHandoff(mild).needed).toBe(false);
    expect(decideHandoff({ ...mild, vulnerable: true })).toMatchObject({ needed: true, reason: "negative_sentiment" });
  });

  it("answers an ordinary neutral question as usual", () => {
    const s = {
      ...signals("how do I reset my PIN"),
      sentiment: { score: 0, trend: "stable" as const, label: "neutral" as const },
      vulnerable: true,
    };
    expect(decideHandoff(s).needed).toBe(false);
  });
});

describe("restatedQuestion", () => {
  it("is what the customer says they meant after rejecting the answer", () => {
    expect(restatedQuestion("that's not what I asked, what's the fee for sending money abroad")).toBe(
      "what's the fee for sending money abroad",
    );
    expect(restatedQuestion("no that's wrong, i was asking about the annual fee on the platinum card")).toBe(
      "the annual fee on the platinum card",
    );
    expect(restatedQuestion("不是这个 我是问整存整取存一年利率多少")).toBe("整存整取存一年利率多少");
  });

  it("is undefined when the message only rejects", () => {
    expect(restatedQuestion("that didn't answer my question")).toBeUndefined();
    expect(restatedQuestion("没用")).toBeUndefined();
    expect(restatedQuestion("不是这个！我问的不是这个")).toBeUndefined();
  });
});
