import { describe, expect, it } from "vitest";
import { askedKinds, carriedKinds } from "./answerType.ts";
import { followUpContext } from "./followUp.ts";
import { rankPassages, rankUnitsOf, type PassageSource } from "./rankPassages.ts";
import { articleStem, headingSlug } from "../../knowledge/articlePaths.ts";
import { extractAnswer } from "./extractAnswer.ts";
import { units } from "./units.ts";
import { linksAsText, resolveArticleLinks } from "./articleLinks.ts";
import type { SearchHit } from "../../knowledge/KnowledgeSearch.ts";
import { tokenize } from "../../knowledge/text.ts";

const hit = (path: string, heading: string, text: string, ordinal = 1, score = 1): SearchHit => ({
  path,
  title: heading.split(" › ")[0]!,
  heading,
  text,
  score,
  locale: path.includes(".zh-") ? "zh-CN" : "en",
  passageId: `${path}#${ordinal}`,
  ordinal,
  sampleQuestion: null,
});

/** A knowledge base of fixed candidates, every term equally informative. */
const source = (hits: SearchHit[]): PassageSource => ({
  query: async () => hits,
  sectionPaths: (path) => [...new Set(hits.filter((h) => h.path === path).map((h) => h.heading.split(" › ").slice(1).join(" › ")))],
  termWeight: () => 1,
  articleTerms: () => new Set(["transfer", "abroad", "fee", "long", "take", "card", "lost"]),
});

const REMITTANCE = "Sending money abroad";
const FEES = `| Item | Amount |
|---|---|
| Remittance fee | 0.1% of the amount, minimum ¥50 |
| Cable fee | ¥150 per remittance |
| Arrival | 1–5 working days |`;

describe("answer kinds", () => {
  it("reads what a question asks for, in English and Chinese", () => {
    expect([...askedKinds("how long does a transfer abroad take")]).toEqual(["duration"]);
    expect([...askedKinds("what's the fee for using an ATM abroad")]).toContain("amount");
    expect([...askedKinds("境外汇款多久能到")]).toEqual(["duration"]);
    expect([...askedKinds("信用卡年费多少钱")]).toContain("amount");
    expect([...askedKinds("how do I reset my password")]).toEqual(["steps"]);
    expect(askedKinds("I lost my card").size).toBe(0);
    // A day of the week or "营业" asks when something is open, as "on Sunday" does in English.
    expect([...askedKinds("你们周日营业吗")]).toContain("clock");
    expect([...askedKinds("are you open on sunday")]).toContain("clock");
  });

  it("reads what a text carries", () => {
    expect(carriedKinds("It arrives in 1–5 working days.").has("duration")).toBe(true);
    expect(carriedKinds("Transfers within mainland China are covered elsewhere.").has("duration")).toBe(false);
    expect(carriedKinds("年费100元").has("amount")).toBe(true);
    expect(carriedKinds("Call 400-820-5588 (option 1).").has("contact")).toBe(true);
    // "What should I do?" is answered by telling the customer whom to contact, and how soon.
    expect(carriedKinds("请立即通过在线客服联系我们。").has("steps")).toBe(true);
    expect(carriedKinds("If it happens, contact us through chat.").has("steps")).toBe(true);
    expect(carriedKinds("收款人拒绝退还的，可通过法律途径解决。").has("steps")).toBe(false);
  });
});

describe("follow-ups", () => {
  it("carries the earlier question into a message that leans on it", () => {
    expect(followUpContext("and how much does it cost?", ["how long does a transfer abroad take"])).toBe(
      "how long does a transfer abroad take",
    );
    expect(followUpContext("那手续费呢", ["境外汇款多久到账"])).toBe("境外汇款多久到账");
    expect(followUpContext("what about credit cards?", ["annual fee on debit card", "hi"])).toBe("annual fee on debit card");
  });

  it("reads a question that names enough of its own with the earlier turns too", () => {
    expect(followUpContext("how long until the money is back in my account?", ["my transfer to another bank got returned"])).toBe(
      "my transfer to another bank got returned",
    );
    expect(followUpContext("公司工资还打到原来卡号上能收到吗", ["借记卡丢了 已经补了张新卡"])).toBe("借记卡丢了 已经补了张新卡");
  });

  it("reads no earlier turns when there are none, or only greetings", () => {
    expect(followUpContext("and how much?", [])).toBeUndefined();
    expect(followUpContext("how long does a replacement debit card take to arrive", ["hi there"])).toBeUndefined();
    expect(followUpContext("补卡要多少钱", ["你好", "在吗"])).toBeUndefined();
  });

  it("counts a Chinese message's words, not its character bigrams", () => {
    expect(followUpContext("啥时候能到账", ["周五晚上六点跨行转了8万"])).toBe("周五晚上六点跨行转了8万");
    expect(followUpContext("每期手续费多少", ["信用卡账单分期"])).toBe("信用卡账单分期");
    // Question words and amounts name no topic: two words of its own, so the earlier turn counts.
    expect(followUpContext("汇两万块手续费一共多少", ["我要往国外汇钱"])).toBe("我要往国外汇钱");
    expect(followUpContext("用你们的借记卡在国外的ATM取钱要收多少手续费", ["你好"])).toBeUndefined();
  });

  it("leaves a short question alone when it names another product than the earlier turns", () => {
    const transfers = ["how long does a transfer abroad take", "and how much does it cost?"];
    expect(followUpContext("what are your savings interest rates", transfers)).toBeUndefined();
    expect(followUpContext("定期利率多少", ["境外汇款多久到账"])).toBeUndefined();
    // The same product, no product, or earlier turns that named none: still a follow-up.
    expect(followUpContext("transfer limits?", transfers)).toBe("and how much does it cost?\nhow long does a transfer abroad take");
    expect(followUpContext("is it free?", transfers)).toBe("and how much does it cost?\nhow long does a transfer abroad take");
  });
});

describe("rankPassages", () => {
  const intro = hit("transfers/abroad.md", REMITTANCE, "You can send money abroad by SWIFT. This page covers fees and timing.", 0, 1);
  const fees = hit("transfers/abroad.md", `${REMITTANCE} › Fees and timing`, FEES, 1, 0.9);
  const tracking = hit(
    "transfers/abroad.md",
    `${REMITTANCE} › Tracking`,
    "After sending, the app shows a reference for the transfer abroad.",
    2,
    0.95,
  );

  it("prefers the passage whose unit carries the kind of answer asked", async () => {
    const ranked = await rankPassages(source([intro, tracking, fees]), "how long does a transfer abroad take to arrive");
    expect(ranked[0]!.heading).toBe(`${REMITTANCE} › Fees and timing`);
    expect(ranked[0]!.units[ranked[0]!.best]!.text).toContain("1–5 working days");
  });

  it("asks a follow-up that names no kind of answer for the earlier turn's", async () => {
    const atmLimits = hit("fees/atm.md", "ATM › Abroad", "Abroad, withdrawals count towards the daily limit of 20,000 yuan.", 1, 1);
    const atmFees = hit("fees/atm.md", "ATM › Fees", "| Where | Fee |\n|---|---|\n| Abroad | ¥12 + 1% |", 2, 0.9);
    const ranked = await rankPassages(source([atmLimits, atmFees]), "what about abroad?", {
      context: "how much does it cost at another bank's atm",
    });
    expect(ranked[0]!.heading).toBe("ATM › Fees");
  });

  it("reads a follow-up that names no product as about the earlier turns' product", async () => {
    const mortgage = hit("loans/home.md", "Mortgages › Paying early", "You can repay your mortgage early without a fee.", 1, 1);
    const flexi = hit("loans/personal.md", "Personal loans › Paying early", "Repay your Bayview personal loan early at any time.", 1, 0.9);
    const ranked = await rankPassages(source([mortgage, flexi]), "can i repay early now?", {
      context: "took a personal loan 3 months ago",
    });
    expect(ranked.find((p) => p.path === "loans/home.md")!.features.product).toBe(0);
    expect(ranked.find((p) => p.path === "loans/personal.md")!.features.product).toBe(1);
  });

  it("follows an intent's pointer to its section", async () => {
    const lost = hit("cards/lost.md", "Lost card", "If your card is lost, act straight away.", 0, 0.9);
    const unfreeze = hit("cards/lost.md", "Lost card › Found your card? Unfreeze it", "Unfreeze your lost card in the app.", 3, 1);
    const plain = await rankPassages(source([unfreeze, lost]), "card lost what now");
    const steered = await rankPassages(source([unfreeze, lost]), "card lost what now", { steer: ["cards/lost.md#lost-card"] });
    expect(plain[0]!.heading).toContain("Unfreeze");
    expect(steered[0]!.features.steered).toBe(1);
  });

  it("counts the lexicon's related words in the article coverage the decision reads, not in the ranking's", async () => {
    const article = "银行卡丢失或被盗 › 第一步：立即冻结";
    const freeze = hit("cards/lost.zh-CN.md", article, "卡片丢失后，请立即在手机银行冻结。", 1);
    const kb = { ...source([freeze]), articleTerms: () => new Set(tokenize(`${article} 卡片丢失后，请立即在手机银行冻结。`)) };
    // The customer says 不见 where the article says 丢失.
    const [top] = await rankPassages(kb, "我的卡不见了怎么办");
    expect(top!.articleWithRelated).toBeGreaterThan(top!.features.article);
    const [plain] = await rankPassages(kb, "我的卡冻结了怎么办");
    expect(plain!.articleWithRelated).toBe(plain!.features.article);
  });

  it("follows a pointer into a translation by the section's place", async () => {
    const freeze = hit("cards/lost.zh-CN.md", "银行卡丢失 › 第一步：立即冻结", "打开手机银行，进入卡片，点击冻结。", 1, 0.8);
    const unfreeze = hit("cards/lost.zh-CN.md", "银行卡丢失 › 找到卡了：解冻", "如果只是冻结，在App解冻。", 3, 1);
    const kb: PassageSource = {
      ...source([freeze, unfreeze]),
      sectionPaths: (path) =>
        path === "cards/lost.md"
          ? ["Step 1: freeze the card now", "Step 2: report it lost", "Found your card? Unfreeze it"]
          : ["第一步：立即冻结", "第二步：挂失并补卡", "找到卡了：解冻"],
    };
    const ranked = await rankPassages(kb, "我的卡丢了", { steer: ["cards/lost.md#step-1-freeze-the-card-now"] });
    const steered = Object.fromEntries(ranked.map((r) => [r.heading.split(" › ")[1], r.features.steered]));
    expect(steered).toEqual({ "第一步：立即冻结": 1, "找到卡了：解冻": 0.5 });
  });

  it("names sections and articles as the pointers do", () => {
    expect(headingSlug("Step 1: freeze the card now")).toBe("step-1-freeze-the-card-now");
    expect(headingSlug("Found your card? Unfreeze it")).toBe("found-your-card-unfreeze-it");
    expect(articleStem("cards/lost-or-stolen-card.zh-CN.md")).toBe("cards/lost-or-stolen-card.md");
  });
});

describe("extractAnswer", () => {
  it("leads with the matching table row, under its header", () => {
    const text = extractAnswer(rankUnitsOf(hit("t.md", "Fees", FEES), "how much is the cable fee"), "en");
    expect(text.split("\n")[0]).toBe("| Item | Amount |");
    expect(text).toContain("| Cable fee | ¥150 per remittance |");
    expect(text).not.toContain("Arrival");
  });

  it("leads with the rule, not a sum worked out as an example of it", () => {
    const fees =
      "| Item | Amount |\n| --- | --- |\n| Remittance fee | 0.1% of the amount, minimum ¥50, maximum ¥260 |\n\n" +
      "Sending a remittance of ¥500,000: the remittance fee is ¥260 (capped) + ¥150 = ¥410.";
    const text = extractAnswer(rankUnitsOf(hit("r.md", "Fees", fees), "what is the fee for sending a remittance"), "en");
    expect(text.split("\n")[0]).toBe("| Item | Amount |");
  });

  it("leads with the rule even when only the worked example says the customer's word", () => {
    const fees = `${FEES}\n\n**Examples:** sending ¥20,000 abroad costs ¥50 + ¥150 = ¥200.`;
    const text = extractAnswer(
      rankUnitsOf(hit("r.md", "Sending money abroad › Fees", fees), "how much does it cost to send ¥20,000 abroad"),
      "en",
    );
    expect(text.split("\n")[0]).toBe("| Item | Amount |");
  });

  it("quotes a whole list of steps with its introduction", () => {
    const steps = "To freeze your card:\n\n1. Open the app.\n2. Go to Cards.\n3. Tap Freeze.\n\nFreezing is free.";
    const text = extractAnswer(rankUnitsOf(hit("f.md", "Freeze", steps), "how do I freeze my card"), "en");
    expect(text).toMatch(/^To freeze your card:\n\n1\. Open the app\.\n2\. Go to Cards\.\n3\. Tap Freeze\./);
  });

  it("quotes the table a sentence introduces with a colon, not the sentence alone", () => {
    const p = [
      "单笔消费满600元可分成等额按月偿还。分期不收利息，而是按原始本金收取固定的每期手续费：",
      "",
      "| 期数 | 每期手续费率 |",
      "| ---- | ------------ |",
      "| 3期  | 0.75%        |",
      "| 12期 | 0.66%        |",
      "",
      "分期手续费不积分。",
    ].join("\n");
    const text = extractAnswer(rankUnitsOf(hit("i.zh-CN.md", "分期还款", p), "信用卡账单能分期吗 手续费多少"), "zh");
    expect(text).toContain("每期手续费：");
    for (const row of ["0.75%", "0.66%"]) expect(text).toContain(row);
  });

  it("quotes a long list's first items after a paragraph that ends introducing it, never the colon alone", () => {
    const items = [
      "pay bills",
      "top up a phone",
      "see statements",
      "freeze a card",
      "change a limit",
      "send money abroad",
      "open a deposit",
      "find a branch",
      "chat with us",
    ];
    const p = [
      "Bayview Mobile is our banking app, free to download. In the app you can:",
      "",
      ...items.map((i) => `- ${i};`),
      "",
      "Security. ".repeat(80),
    ].join("\n");
    const text = extractAnswer(rankUnitsOf(hit("m.md", "Bayview Mobile", p), "what is the banking app free to download"), "en");
    expect(text).toContain("you can:\n");
    for (const item of items.slice(0, 7)) expect(text).toContain(item);
    expect(text).not.toContain("find a branch");
  });

  it("quotes a list beside the answer whole, never its first item alone", () => {
    const p = [
      "- **In the app:** Transfers, then International remittance.",
      "- **At a branch:** bring your ID and the payee details.",
      "",
      "You will need:",
      "",
      "- the payee's full name and address;",
      "- the account number (IBAN);",
      "- the bank's SWIFT/BIC code;",
      "- the purpose of the payment.",
    ].join("\n");
    const text = extractAnswer(
      rankUnitsOf(hit("r.md", "How to send", p), "how do i send money to my son, what details do i need from him"),
      "en",
    );
    expect(text).toContain("You will need:");
    for (const item of ["full name", "IBAN", "SWIFT/BIC", "purpose"]) expect(text).toContain(item);
  });

  it("quotes a short section whole", () => {
    const wrongPayee =
      "Tell us about the money at once in chat or on 400-820-5588. " +
      "The bank cannot take funds back from someone else's account without their consent, but we will ask the receiving bank to contact them. " +
      "The sooner you tell us, the better the chance to get the money back. " +
      "If you sent money to the wrong person, we will try to recover it for you.";
    const text = extractAnswer(
      rankUnitsOf(hit("t.md", "Transfers › Mistakes", wrongPayee), "sent money to the wrong person, can i recover it"),
      "en",
    );
    expect(text.startsWith("If you sent money to the wrong person")).toBe(true);
    // The consent rule shares no word with the question, and is part of the answer.
    expect(text).toContain("without their consent");
  });

  it("leads with a table's rows for a day of the week", () => {
    const hours =
      "| 日期 | 营业时间 |\n|---|---|\n| 周一至周五 | 9:00–17:00 |\n| 周六 | 9:00–13:00 |\n| 周日 | 休息 |\n\n以下业务耗时较长，请至少在停止营业前1小时到达：开户和大额取现。";
    const text = extractAnswer(rankUnitsOf(hit("h.zh-CN.md", "网点营业时间 › 标准营业时间", hours), "你们周日营业吗"), "zh");
    expect(text.split("\n")[0]).toBe("| 日期 | 营业时间 |");
    expect(text).toContain("| 周日 | 休息 |");
  });

  it("never answers with the page's description of itself", () => {
    const en =
      "You can take cash out at any Bayview ATM. This article explains what each withdrawal costs, the daily limit and what to do if the ATM keeps your card. " +
      "Withdrawals abroad cost ¥12 each.";
    const text = extractAnswer(
      rankUnitsOf(hit("a.md", "ATM fees", en, 0), "what does each withdrawal at the atm cost, what is the daily limit"),
      "en",
    );
    expect(text).not.toContain("This article explains");
    expect(text).toContain("¥12");
    const zh = "忘记登录密码时，通常可以在App内自助处理。本文说明登录被锁的原因、如何重置登录密码，以及哪些情况需要到网点办理。";
    expect(extractAnswer(rankUnitsOf(hit("l.zh-CN.md", "忘记密码", zh, 0), "登录被锁的原因是什么 如何重置登录密码"), "zh")).not.toContain(
      "本文",
    );
    expect(units(zh).map((u) => Boolean(u.scope))).toEqual([false, true]);
  });

  it("says only what the passage says, with no fixed introduction", () => {
    const p = "Remittances before 15:00 on a working day go the same day. Later ones go the next working day. Fees are shared.";
    const text = extractAnswer(rankUnitsOf(hit("r.md", "Timing", p), "what is the cut-off time"), "en");
    expect(text.startsWith("Remittances before 15:00")).toBe(true);
    for (const u of units(text)) expect(p).toContain(u.text);
  });
});

describe("article links in replies", () => {
  const url = (p: string) => `/kb/${p.replace(/\.md$/, "")}`;
  it("points links between articles at the articles' pages, and leaves others alone", () => {
    const text =
      "See [login](../digital/mobile-banking-login.md#ways-to-log-in), [fees](fee-schedule.md) and [PBoC](https://www.pbc.gov.cn).";
    expect(resolveArticleLinks(text, "fees/atm-fees.md", url)).toBe(
      "See [login](/kb/digital/mobile-banking-login#ways-to-log-in), [fees](/kb/fees/fee-schedule) and [PBoC](https://www.pbc.gov.cn).",
    );
    expect(resolveArticleLinks("[x](../../outside.md)", "a.md", url)).toBe("x");
  });
  it("reads links as their words", () => {
    expect(linksAsText("see [mobile banking login](../digital/mobile-banking-login.md).")).toBe("see mobile banking login.");
  });
});
