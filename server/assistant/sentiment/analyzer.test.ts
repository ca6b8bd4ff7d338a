import { describe, expect, it } from "vitest";
import { LexiconSentiment } from "./analyzer.ts";

// The lexicon's own rules: English labels here are the lexicon's bands. The learned
// model that decides English labels by default is tested in learned.test.ts.
const s = new LexiconSentiment({ model: null });
const label = (t: string) => s.analyze(t).label;
const score = (t: string) => s.analyze(t).score;

describe("LexiconSentiment — English", () => {
  it("labels clear praise and clear anger", () => {
    expect(label("The staff at the branch were wonderful, thank you!")).toBe("positive");
    expect(label("This is the worst banking app I have ever used")).toBe("negative");
  });

  it("leaves plain requests and questions neutral", () => {
    expect(label("I want to transfer 500 to my savings account")).toBe("neutral");
    expect(label("How do I reset my PIN?")).toBe("neutral");
    expect(label("What is the interest rate on a one-year deposit?")).toBe("neutral");
    expect(label("Why was my card declined?")).toBe("neutral");
  });

  it("handles negation", () => {
    expect(label("I am not happy with how this was handled")).toBe("negative");
    expect(label("not bad at all")).not.toBe("negative");
    expect(score("the app is not helpful")).toBeLessThan(0);
  });

  it("knows everyday praise and complaint words that VADER's lexicon lacks", () => {
    expect(label("the new app update is underwhelming and flawed")).toBe("negative");
    expect(label("so stoked about my new card design")).toBe("positive");
  });

  it("does not read an alternative or an addition as negation", () => {
    expect(label("I may or may not be the happiest customer right now")).toBe("positive");
    expect(label("the app is not only fast but also beautiful")).toBe("positive");
    expect(score("whether or not the news is good, tell me today")).toBeGreaterThan(0);
    // "or not" before the word still negates it.
    expect(score("is the transfer good or not good")).toBeLessThan(score("is the transfer good"));
  });

  it("reads 'never been so …' as an extreme, not a negation", () => {
    expect(score("I've never been so frustrated with a bank.")).toBeLessThan(-0.3);
    expect(score("never felt this happy with a bank")).toBeGreaterThan(0.3);
    expect(score("the transfer never arrived")).toBeLessThanOrEqual(0);
  });

  it("reads a negated comparative as the extreme of its word, and 'less' before a feeling as its opposite", () => {
    expect(label("The new app? I could not be happier with it.")).toBe("positive");
    expect(label("honestly the service couldn't have been better")).toBe("positive");
    expect(label("the queue today couldn't be any worse")).toBe("negative");
    // Other negated modals still negate.
    expect(label("I would not be happy with that fee")).not.toBe("positive");
    expect(score("opening the account was less stressful than I expected")).toBeGreaterThan(0);
    expect(score("the new statement page is less helpful")).toBeLessThan(0);
  });

  it("reads a promised thing that never came as a complaint", () => {
    for (const t of [
      "the engineer was booked for Tuesday and never showed up",
      "they said someone would ring me, it never happened",
      "I emailed twice and the branch never replied",
      "your overdraft fees are a joke",
    ])
      expect(label(t)).toBe("negative");
  });

  it("scales with intensifiers, exclamation marks and capitals", () => {
    expect(score("very happy")).toBeGreaterThan(score("happy"));
    expect(score("slightly annoyed")).toBeGreaterThan(score("annoyed"));
    expect(score("this is terrible!!!")).toBeLessThan(score("this is terrible"));
    expect(score("the service was TERRIBLE")).toBeLessThan(score("the service was terrible"));
  });

  it("weights the clause after 'but'", () => {
    expect(label("The app looks nice but the fees are outrageous")).toBe("negative");
    expect(label("The queue was long but the teller was lovely and sorted it out")).toBe("positive");
  });

  it("weighs nothing up or down when the message opens with its contrast", () => {
    const opening = s.explain("Unfortunately, my card is damaged and unusable");
    const plain = s.explain("my card is damaged and unusable");
    expect(opening.hits.find((h) => h.term === "unusable")!.valence).toBe(plain.hits.find((h) => h.term === "unusable")!.valence);
    // A second sentence that opens with "But" still answers the first.
    expect(s.explain("The app is fine. But the fees are awful").hits.find((h) => h.term === "awful")!.valence).toBeLessThan(
      s.explain("the fees are awful").hits.find((h) => h.term === "awful")!.valence,
    );
  });

  it("recognises banking complaints without emotional words", () => {
    expect(label("You charged me twice for the same purchase")).toBe("negative");
    expect(label("Still waiting for my refund from last month")).toBe("negative");
    expect(label("I was on hold for 40 minutes and then got cut off")).toBe("negative");
  });

  it("keeps strong words in questions and reads sarcasm inside complaints", () => {
    expect(label("Why is your customer service so terrible?")).toBe("negative");
    expect(label("Oh great, another hidden fee.")).toBe("negative");
  });

  it("reads shouting as anger", () => {
    expect(label("WHERE IS MY MONEY")).toBe("negative");
  });

  it("reads emoji", () => {
    expect(label("transfer done 👍")).toBe("positive");
    expect(label("card declined again 😡")).toBe("negative");
  });
});

describe("LexiconSentiment — Chinese", () => {
  it("labels clear praise and clear anger", () => {
    expect(label("你们的服务非常好，点赞")).toBe("positive");
    expect(label("服务态度太差了，我要投诉")).toBe("negative");
  });

  it("leaves plain requests and questions neutral", () => {
    expect(label("我想查一下余额")).toBe("neutral");
    expect(label("请问信用卡怎么还款？")).toBe("neutral");
    expect(label("定期存款利率是多少")).toBe("neutral");
  });

  it("handles negation, including softened negation", () => {
    expect(label("我对处理结果不太满意")).toBe("negative");
    expect(label("没有问题")).not.toBe("negative");
    expect(label("一点都不方便")).toBe("negative");
  });

  it("scales with intensifiers", () => {
    expect(score("非常满意")).toBeGreaterThan(score("满意"));
    expect(score("太慢了")).toBeLessThan(score("慢"));
  });

  it("weights the clause after 但是", () => {
    expect(label("虽然等了很久，但是问题解决了，谢谢")).toBe("positive");
    expect(label("界面挺好看的，但是转账老是失败，太让人失望了")).toBe("negative");
  });

  it("recognises banking complaints", () => {
    expect(label("同一笔消费扣了两次钱")).toBe("negative");
    expect(label("在网点等了半天也没人管")).toBe("negative");
  });

  it("handles traditional characters", () => {
    expect(label("服務態度太差了")).toBe("negative");
    expect(label("非常感謝你們的幫助")).toBe("positive");
  });
});

describe("LexiconSentiment — output", () => {
  it("keeps the score within -1..1 and explains its terms", () => {
    for (const t of ["TERRIBLE TERRIBLE TERRIBLE!!!! 😡😡", "amazing amazing amazing!!! 😍", ""]) {
      const r = s.analyze(t);
      expect(r.score).toBeGreaterThanOrEqual(-1);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(s.analyze("").label).toBe("neutral");
    expect(s.explain("you charged me twice").hits.map((h) => h.term)).toContain("charged me twice");
  });

  it("honours custom thresholds", () => {
    const strict = new LexiconSentiment({ threshold: 0.9 });
    expect(strict.analyze("thanks").label).toBe("neutral");
  });
});

describe("LexiconSentiment — general English (VADER's lexicon under our rules)", () => {
  it("knows words that our own bank lexicon never listed", () => {
    expect(label("I adore this new feature")).toBe("positive");
    expect(label("what a dreadful, gloomy afternoon")).toBe("negative");
    expect(label("can't wait for the weekend")).toBe("positive");
  });

  it("does not read VADER's digit chat codes in amounts and product names", () => {
    expect(label("can I leave a 182 day product early")).toBe("neutral");
  });

  it("does not read I'll, we'd or he'll as ill, wed or hell", () => {
    expect(label("I'll be at the branch tomorrow")).toBe("neutral");
    expect(label("He'll call you on Monday")).toBe("neutral");
  });

  it("decodes text escaped once too often before reading negation", () => {
    expect(label("I don\\u2019t like this at all")).toBe("negative");
    expect(s.explain("great &amp; fast").hits.map((h) => h.term)).toEqual(["great", "fast"]);
  });

  it("keeps bank task words neutral although general English rates them", () => {
    expect(label("will paying late hurt my credit score")).toBe("neutral");
    expect(label("please put a stop on my bank account")).toBe("neutral");
    expect(label("what interest rate do I get on rewards credit cards")).toBe("neutral");
  });

  it("reads capitalised words inside a sentence as a name, not a feeling", () => {
    expect(label("watching the Grateful Dead at the Fillmore tonight")).toBe("neutral");
    expect(label("tickets for Bad Blood go on sale on Monday")).toBe("neutral");
    // The sentence's first word, words on their own and lower case keep their feeling.
    expect(label("Happy Star Wars Day from all of us at the branch")).toBe("positive");
    expect(label("I am grateful for the help")).toBe("positive");
    expect(label("the Terrible service at the branch")).toBe("negative");
    // Negators and degree words capitalised for emphasis are no name, nor what they lean on.
    expect(label("The staff were Very Rude to me")).toBe("negative");
    expect(label("my card is Not Working again")).toBe("negative");
    // A clause in Title Case throughout marks no name.
    expect(label("Thank You So Much For Your Help")).toBe("positive");
  });
});

describe("LexiconSentiment — Chinese segmented by jieba", () => {
  it("folds traditional characters with OpenCC's tables", () => {
    expect(label("房間很髒")).toBe("negative");
    expect(label("這家飯店的服務態度很差勁")).toBe("negative");
  });

  it("does not read a negator or a sentiment character out of another word", () => {
    expect(label("我差点忘了还款日")).toBe("neutral");
    expect(label("我爱人想开个账户")).toBe("neutral");
    expect(label("刚好够还这个月的账单")).toBe("neutral");
    expect(label("未来三个月的利率是多少")).toBe("neutral");
  });

  it("reads a stated lack as a complaint", () => {
    expect(label("卡寄到了三天还没有激活短信")).toBe("negative");
    expect(score("房间里没有热水")).toBeLessThan(0);
  });

  it("gives a long review that weighs good against bad its verdict", () => {
    expect(label("这本书内容丰富，就是纸张有点薄，价格也不便宜，整体来说还是值得一读的，推荐给大家")).toBe("positive");
    expect(label("酒店位置还可以，早餐也凑合，但是房间太小了，空调不冷，前台态度差，下次不会再来了")).toBe("negative");
  });

  it("weighs a contrast within its own sentence", () => {
    expect(label("外观漂亮，但是续航差。客服很耐心，问题解决了，很满意")).toBe("positive");
  });
});

describe("LexiconSentiment — bands per language", () => {
  it("needs more than a mild word for English praise, less for an English complaint", () => {
    const e = new LexiconSentiment();
    expect(e.en.positive).toBeGreaterThan(e.en.negative);
    expect(label("the app is fine")).toBe("neutral");
    expect(label("a bit annoying")).toBe("negative");
  });
});
