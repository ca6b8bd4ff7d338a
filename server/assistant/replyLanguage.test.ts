import { describe, expect, it } from "vitest";
import { Assistant } from "./Assistant.ts";
import { OfflineGenerator } from "./generators/OfflineGenerator.ts";
import type { IntentClassifier, IntentPrediction } from "./intents/classifier.ts";
import type { CoreBanking } from "../banking/CoreBanking.ts";
import { say } from "./replies.ts";
import { answerInScript, replyLanguage } from "./replyLanguage.ts";
import { LexiconSentiment } from "./sentiment/index.ts";

describe("replyLanguage: the customer's script", () => {
  it("is traditional for a Chinese message in traditional characters, simplified otherwise", () => {
    expect(replyLanguage("人在海外 懷疑被騙要打哪支電話", "zh")).toBe("zh-Hant");
    expect(replyLanguage("人在海外 怀疑被骗要打哪支电话", "zh")).toBe("zh");
    // Only characters both scripts share: no evidence, the default.
    expect(replyLanguage("你好", "zh")).toBe("zh");
    expect(replyLanguage("my 帳戶 is locked, please help", "en")).toBe("en");
  });

  it("keeps the script the customer last wrote in through a message that shows neither", () => {
    expect(replyLanguage("你好", "zh", "traditional")).toBe("zh-Hant");
    expect(replyLanguage("好的，谢谢", "zh", "traditional")).toBe("zh");
    expect(replyLanguage("thanks", "en", "traditional")).toBe("en");
  });
});

describe("an answer in the customer's script", () => {
  it("converts a quoted simplified passage for a customer writing traditional characters, and leaves values and links alone", () => {
    const quoted = "打开Bayview Mobile，进入“卡片”，点击“冻结”。详见[挂失补卡](/kb/cards/lost-or-stolen-card.zh-CN)，或拨打 400-820-5588。";
    expect(answerInScript(quoted, "zh-Hant")).toBe(
      "打開Bayview Mobile，進入“卡片”，點擊“凍結”。詳見[掛失補卡](/kb/cards/lost-or-stolen-card.zh-CN)，或撥打 400-820-5588。",
    );
    expect(answerInScript(quoted, "zh")).toBe(quoted);
    expect(answerInScript("Call 400-820-5588.", "en")).toBe("Call 400-820-5588.");
  });
});

describe("say in traditional characters", () => {
  it("converts the sentence with OpenCC, words and all, and leaves the values filled in as given", () => {
    expect(say("handoffBusy", "zh-Hant")).toBe(
      "已為您轉接人工客服，但同事們暫時都在忙或不在座位。您的對話已進入排隊，有人空閒時會在這裡接待您；您也可以留下郵箱，我們會通過郵件回覆。",
    );
    // A section's label is the article's own title: tapped, it must come back as offered.
    const offered = say("declineWithSuggestions", "zh-Hant", { choices: "1. 银行卡丢失或被盗" });
    expect(offered).toMatch(/^這個問題我不太確定.*請問您想了解的是下面哪一項？/s);
    expect(offered).toMatch(/\n1\. 银行卡丢失或被盗$/);
    expect(say("handoffBusy", "zh")).toMatch(/^已为您转接人工客服，但同事们暂时都在忙/);
    expect(say("thanks", "en")).toBe("You're welcome! Is there anything else I can help with?");
  });
});

/** The assistant over an empty guide, its intent fixed: what it says of itself, not what it quotes. */
function assistant(intent: Partial<IntentPrediction>) {
  const prediction: IntentPrediction = { name: "unknown", confidence: 0.2, action: "answer", ranking: [], ...intent };
  return new Assistant({
    knowledge: { query: async () => [], sectionPaths: () => [], termWeight: () => 1, articleTerms: () => new Set<string>() },
    intents: () => ({ classify: () => prediction }) as unknown as IntentClassifier,
    sentiment: new LexiconSentiment(),
    // The customer is not signed in: the core system is never asked.
    banking: new Proxy({} as CoreBanking, {
      get: () => () => {
        throw new Error("an anonymous customer's turn called the core system");
      },
    }),
    generator: new OfflineGenerator(),
  });
}
const busy = async () => ({ agentsOnline: false, withinHours: true });
const ask = (a: Assistant, text: string) => a.respond({ text, verifiedCustomerId: null, botState: {}, history: [], availability: busy });

describe("the assistant's own sentences follow the customer's script", () => {
  it("hands a traditional request over in traditional characters, a simplified one in simplified", async () => {
    const a = assistant({ name: "human_request", confidence: 0.95, action: "handoff" });
    const traditional = await ask(a, "我要找真人客服，謝謝");
    expect(traditional.handoff.needed).toBe(true);
    expect(traditional.reply).toMatch(/^已為您轉接人工客服，但同事們暫時都在忙/);
    const simplified = await ask(a, "我要找真人客服，谢谢");
    expect(simplified.reply).toMatch(/^已为您转接人工客服，但同事们暂时都在忙/);
  });

  it("remembers the customer's script: a greeting in characters both scripts share, after a traditional turn, is answered in traditional", async () => {
    const a = assistant({ name: "greeting", confidence: 0.95, action: "smalltalk" });
    const first = await ask(a, "我想買比特幣，你們有這個服務嗎");
    expect(first.botState.chineseScript).toBe("traditional");
    const hello = await a.respond({ text: "你好", verifiedCustomerId: null, botState: first.botState, history: [], availability: busy });
    expect(hello.botState.chineseScript).toBe("traditional");
    expect(hello.reply).toBe(say("greeting", "zh-Hant"));
    expect(hello.reply).not.toBe(say("greeting", "zh"));
    // Without the earlier turn, the default.
    expect((await ask(a, "你好")).reply).toBe(say("greeting", "zh"));
  });

  it("asks an anonymous customer to sign in for their balance in the script they wrote", async () => {
    const a = assistant({ name: "balance", confidence: 0.95, action: "tool:balance" });
    expect((await ask(a, "我的帳戶餘額還有多少")).reply).toBe(say("signIn", "zh-Hant"));
    expect((await ask(a, "我的账户余额还有多少")).reply).toBe(say("signIn", "zh"));
    expect(say("signIn", "zh-Hant")).not.toBe(say("signIn", "zh"));
  });

  it("offers a signed-in customer the dispute or a freeze in the script they wrote", async () => {
    const a = assistant({ name: "unrecognised_transaction", confidence: 0.99, action: "tool:dispute_transaction" });
    const r = await a.respond({ text: "有一筆交易不是我刷的", verifiedCustomerId: "c-1", botState: {}, history: [], availability: busy });
    expect(r.reply).toBe(say("disputeOffer", "zh-Hant"));
    expect(r.quickReplies.map((q) => q.text)).toEqual([
      say("disputeOfferDisputeText", "zh-Hant"),
      say("disputeOfferFreezeText", "zh-Hant"),
      "轉人工",
    ]);
    expect(say("disputeOfferDisputeText", "zh-Hant")).toBe("我要申訴一筆交易");
  });

  it("says when the team is back in the customer's language, not in English inside a Chinese sentence", async () => {
    const a = assistant({ name: "human_request", confidence: 0.95, action: "handoff" });
    const closed = async () => ({
      agentsOnline: false,
      withinHours: false,
      hours: { open: "08:00", close: "22:00", daily: true, timeZone: "Asia/Shanghai" },
    });
    const ask = (text: string) => a.respond({ text, verifiedCustomerId: null, botState: {}, history: [], availability: closed });
    const zh = await ask("我要找人工客服");
    expect(zh.reply).toContain("（服务时间：每天08:00–22:00（Asia/Shanghai））");
    expect(zh.reply).not.toContain("daily");
    expect((await ask("I want to talk to a person")).reply).toContain("(we're available 08:00–22:00 daily (Asia/Shanghai))");
  });

  it("declines a traditional question in traditional characters, with the button to a person too", async () => {
    const a = assistant({});
    const traditional = await ask(a, "我想買比特幣，你們有這個服務嗎");
    expect(traditional.botState.lastAction).toBe("decline");
    expect(traditional.reply).toBe("這個問題我不太確定，不想給您不準確的答案。我可以為您轉接人工客服。");
    expect(traditional.quickReplies.map((q) => q.label)).toEqual(["轉人工"]);
    const simplified = await ask(a, "我想买比特币，你们有这个服务吗");
    expect(simplified.reply).toBe("这个问题我不太确定，不想给您不准确的答案。我可以为您转接人工客服。");
    expect(simplified.quickReplies.map((q) => q.label)).toEqual(["转人工"]);
  });
});
