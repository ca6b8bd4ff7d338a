import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/Database.ts";
import { createTestDatabase } from "../../tests/helpers/testDatabase.ts";
import { HashingEmbedder } from "./embedders/HashingEmbedder.ts";
import { KnowledgeBase } from "./KnowledgeBase.ts";
import { queryLanguage } from "./KnowledgeSearch.ts";

const ARTICLES: Record<string, string> = {
  "cards/lost-card.md": `---
title: Lost or stolen card
tags: [cards, lost card]
locale: en
---
If your card is lost or stolen, freeze it in the app straight away.

## Report it and get a replacement

Report the card lost in the app or on the hotline. A replacement arrives in 5–7 working days.
`,
  "cards/lost-card.zh-CN.md": `---
title: 银行卡丢失或被盗
tags: [cards, 挂失]
locale: zh-CN
---
银行卡丢失或被盗时，请立即在App中冻结卡片。

## 挂失补卡

确认找不回时，可在App中挂失并补办新卡，5–7个工作日寄到。
`,
  "cards/lost-card.zh-TW.md": `---
title: 卡片遺失或被竊
tags: [cards, 掛失]
locale: zh-TW
---
卡片遺失或被竊時，請立即在App中凍結卡片。

## 掛失補卡

確定找不回時，可在App辦理掛失補卡，5–7個工作日寄到。
`,
  "transfers/limits.md": `---
title: Transfer limits
tags: [transfers, limits]
locale: en
questions:
  transfers-to-other-banks:
    - how quick will my mate at icbc see the cash
---
You can send up to ¥50,000 a day in the app. Raise the daily limit at a branch.

## Transfers to other banks

Transfers to other banks arrive within two hours on working days.
`,
  "branches/hours.md": `---
title: Branch opening hours
tags: [branches]
locale: en
---
Branches are open 9:00–17:00 on weekdays and 9:00–16:00 on Saturdays.
`,
};

let db: Database;
let kb: KnowledgeBase;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kb-search-"));
  for (const [file, body] of Object.entries(ARTICLES)) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), body);
  }
  db = await createTestDatabase();
  kb = new KnowledgeBase(db, new HashingEmbedder(), dir);
  const summary = await kb.sync();
  expect(summary.skipped).toEqual([]);
});

afterAll(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("knowledge search", () => {
  it("understands customer words: slang, irregular verbs, abbreviations", async () => {
    for (const q of ["someone nicked my wallet with the card in it", "my card was stole", "how much can i send from my acct per day"]) {
      const [top] = await kb.query(q, { k: 3 });
      expect(top?.path, q).toBe(q.includes("send") ? "transfers/limits.md" : "cards/lost-card.md");
    }
  });

  it("survives a typo", async () => {
    const [top] = await kb.query("how do i frezee my crad", { k: 3, mode: "lexical" });
    expect(top?.path).toBe("cards/lost-card.md");
  });

  it("prefers the question's language and script, without filtering the others out", async () => {
    const zh = await kb.query("钱包被偷了 卡也在里面 咋办", { k: 5 });
    expect(zh[0]?.path).toBe("cards/lost-card.zh-CN.md");
    // Traditional characters match the simplified article too, but the zh-TW one goes first.
    const tw = await kb.query("錢包被偷 卡片不見了 怎麼辦", { k: 5 });
    expect(tw[0]?.path).toBe("cards/lost-card.zh-TW.md");
    expect(tw.map((h) => h.path)).toContain("cards/lost-card.zh-CN.md");
    const en = await kb.query("lost card", { k: 5 });
    expect(en[0]?.path).toBe("cards/lost-card.md");
  });

  it("keeps the API: k, perArticle, locale filter, modes", async () => {
    const hits = await kb.query("card app", { k: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ path: expect.any(String), title: expect.any(String), heading: expect.any(String), score: expect.any(Number), text: expect.any(String), locale: expect.any(String), passageId: expect.any(String) });
    const two = await kb.query("lost card replacement", { k: 5, perArticle: 2, locale: "en" });
    expect(two.every((h) => h.locale === "en")).toBe(true);
    expect(two.filter((h) => h.path === "cards/lost-card.md")).toHaveLength(2);
    for (const mode of ["lexical", "dense", "hybrid"] as const) expect((await kb.query("branch opening hours saturday", { k: 1, mode }))[0]?.path).toBe("branches/hours.md");
  });

  it("searches only the articles named, by any translation's path, in every mode", async () => {
    for (const mode of ["lexical", "dense", "hybrid"] as const) {
      const hits = await kb.query("card branch opening hours saturday", { k: 10, perArticle: 5, mode, articles: ["cards/lost-card.md"] });
      expect(hits.length, mode).toBeGreaterThan(0);
      expect(new Set(hits.map((h) => h.path)), mode).toEqual(
        new Set(hits.map((h) => h.path).filter((p) => p.startsWith("cards/lost-card."))),
      );
    }
  });

  it("scores a query of words it does not weigh as nothing found, not NaN", async () => {
    // Only stop words: the embedding is all zeros, whose cosine distance is NaN.
    for (const mode of ["dense", "hybrid"] as const) {
      const hits = await kb.query("where you from", { k: 3, mode });
      for (const h of hits) expect(Number.isFinite(h.score), `${mode} ${h.path}`).toBe(true);
    }
  });
});

describe("sample questions by section", () => {
  it("find the section from words only its sample questions use, and say how well they matched", async () => {
    const [top] = await kb.query("how quick does my mate at icbc see the cash", { k: 3 });
    expect(top).toMatchObject({ path: "transfers/limits.md", heading: "Transfer limits › Transfers to other banks" });
    expect(top!.sampleQuestion).toBeGreaterThan(0.6);
    const [other] = await kb.query("branch opening hours saturday", { k: 1 });
    expect(other!.sampleQuestion).toBeNull();
  });
});

describe("queryLanguage", () => {
  it("tells Chinese (and its script) from English", () => {
    expect(queryLanguage("my card is lost")).toEqual({ zh: false });
    expect(queryLanguage("卡丢了")).toEqual({ zh: true, script: "simplified" });
    expect(queryLanguage("卡片遺失")).toEqual({ zh: true, script: "traditional" });
    expect(queryLanguage("app登不上")?.zh).toBe(true);
    expect(queryLanguage("123")).toBeUndefined();
  });
});
