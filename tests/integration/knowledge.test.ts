import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/testDatabase.ts";
import type { Database } from "../../server/db/Database.ts";
import { KnowledgeBase } from "../../server/knowledge/KnowledgeBase.ts";
import { TOKENIZER_VERSION } from "../../server/knowledge/text.ts";
import { HashingEmbedder } from "../../server/knowledge/embedders/HashingEmbedder.ts";
import { lintKnowledge } from "../../server/knowledge/lintKnowledge.ts";

let db: Database;
let dir: string;
const write = (rel: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
};
const article = (title: string, body: string, locale = "en") => `---\ntitle: ${title}\nlocale: ${locale}\ntags: [test]\n---\n${body}\n`;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-kb-"));
  write(
    "cards/lost.md",
    article(
      "Lost card",
      "Freeze a lost card at once.\n\n## Freeze\nOpen the app and tap Freeze.\n\n## Replace\nA new card costs ¥10 and arrives in 5–7 days.",
    ),
  );
  write(
    "transfers/times.md",
    article("Transfer times", "## Other banks\nUp to ¥50,000 arrives in seconds.\n\n## Abroad\nSWIFT takes 1–5 working days."),
  );
  write("deposits/lingcun.zh-CN.md", article("零存整取", "## 漏存\n漏存一个月可在次月补存，累计漏存两次视为违约。", "zh-CN"));
  write("intents/human.yaml", "name: human\n");
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("knowledge sync and search", () => {
  let kb: KnowledgeBase;

  it("indexes every article split by headings, skipping intent files", async () => {
    kb = new KnowledgeBase(db, new HashingEmbedder(), dir);
    const s = await kb.sync();
    expect(s).toMatchObject({ added: 3, updated: 0, deleted: 0, unchanged: 0, skipped: [], reembedded: true });
    const { rows } = await db.query<{ heading: string }>(
      "SELECT heading FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id WHERE a.path = 'cards/lost.md' ORDER BY ordinal",
    );
    expect(rows.map((r) => r.heading)).toEqual(["Lost card", "Lost card › Freeze", "Lost card › Replace"]);
  });

  it("finds English and Chinese passages, with paths relative to the folder", async () => {
    const en = await kb.query("how do I freeze my card", { k: 3 });
    expect(en[0]).toMatchObject({ path: "cards/lost.md", title: "Lost card" });
    const zh = await kb.query("零存整取漏存了怎么办", { k: 3 });
    expect(zh[0]!.path).toBe("deposits/lingcun.zh-CN.md");
    await expect(kb.query("   ")).rejects.toThrow(/empty/);
  });

  it("keeps one vector index per language, and drops one whose language is gone", async () => {
    const indexes = async () =>
      (
        await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'kb_passages_embedding%' ORDER BY 1")
      ).rows.map((r) => r.indexname);
    expect(await indexes()).toEqual(["kb_passages_embedding_en", "kb_passages_embedding_zh"]);
    const zh = fs.readFileSync(path.join(dir, "deposits/lingcun.zh-CN.md"));
    fs.rmSync(path.join(dir, "deposits/lingcun.zh-CN.md"));
    await kb.sync();
    expect(await indexes()).toEqual(["kb_passages_embedding_en"]);
    write("deposits/lingcun.zh-CN.md", zh);
    await kb.sync();
    expect(await indexes()).toEqual(["kb_passages_embedding_en", "kb_passages_embedding_zh"]);
    // Dense search reaches both languages' indexes.
    expect((await kb.query("零存整取漏存", { k: 1, mode: "dense" }))[0]!.path).toBe("deposits/lingcun.zh-CN.md");
    expect((await kb.query("freeze lost card", { k: 1, mode: "dense" }))[0]!.path).toBe("cards/lost.md");
  });

  it("re-syncs incrementally: nothing, then one change, then one deletion", async () => {
    expect(await kb.sync()).toMatchObject({ added: 0, updated: 0, deleted: 0, unchanged: 3 });
    write("transfers/times.md", article("Transfer times", "## Other banks\nUp to ¥50,000 arrives in seconds, 24/7."));
    expect(await kb.sync()).toMatchObject({ added: 0, updated: 1, unchanged: 2 });
    fs.rmSync(path.join(dir, "transfers/times.md"));
    expect(await kb.sync()).toMatchObject({ deleted: 1, unchanged: 2 });
    expect((await kb.query("SWIFT abroad", { k: 5 })).map((h) => h.path)).not.toContain("transfers/times.md");
  });

  it("skips malformed, binary, huge and non-UTF-8 files with a message naming each, and indexes the rest", async () => {
    write("bad/front-matter.md", "---\ntitle: [unclosed\n---\nbody");
    write("bad/no-title.md", "---\nlocale: en\n---\nSome text");
    write("bad/binary.md", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    write("bad/latin1.md", Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xe8, 0x0a]));
    write("bad/huge.md", article("Huge", "x".repeat(1024 * 1024 + 10)));
    write("cards/ok.md", article("Card limits", "## Daily limits\nShops ¥50,000 a day."));
    const s = await kb.sync();
    expect(s.added).toBe(1);
    const byPath = Object.fromEntries(s.skipped.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(["bad/binary.md", "bad/front-matter.md", "bad/huge.md", "bad/latin1.md", "bad/no-title.md"]);
    expect(byPath["bad/huge.md"]).toMatch(/too large/);
    expect(byPath["bad/binary.md"]).toMatch(/binary/);
    expect(byPath["bad/latin1.md"]).toMatch(/UTF-8/);
    expect(byPath["bad/no-title.md"]).toMatch(/title/);
  });

  it("re-embeds everything when the embedder changes", async () => {
    const other = new KnowledgeBase(db, new HashingEmbedder(256), dir);
    const s = await other.sync();
    expect(s.reembedded).toBe(true);
    expect(s.added).toBeGreaterThanOrEqual(3);
    const { rows } = await db.query<{ embedder: string; dimensions: number }>("SELECT embedder, dimensions FROM kb_index");
    expect(rows[0]).toEqual({ embedder: new HashingEmbedder(256).id, dimensions: 256 });
  });

  it("indexes everything again when tokens are read another way (an index built by an older tokenizer)", async () => {
    const same = new KnowledgeBase(db, new HashingEmbedder(256), dir);
    expect((await same.sync()).reembedded).toBe(false);
    await db.query("UPDATE kb_index SET tokenizer = $1, version = version + 1", [TOKENIZER_VERSION - 1]);
    // Until a sync rebuilds it, a process reading the old index tokenises the passages again rather than trust them.
    await db.query("UPDATE kb_passages SET tokens = '{}'");
    const reader = new KnowledgeBase(db, new HashingEmbedder(256), dir);
    // ("shops": a word of the passage's text, not of any heading.)
    expect((await reader.query("shops", { k: 1, mode: "lexical" }))[0]?.path).toBe("cards/ok.md");
    const s = await same.sync();
    expect(s.reembedded).toBe(true);
    expect(s.added).toBeGreaterThanOrEqual(3);
    const { rows } = await db.query<{ tokenizer: number }>("SELECT tokenizer FROM kb_index");
    expect(rows[0]!.tokenizer).toBe(TOKENIZER_VERSION);
  });

  it("lint names file and line for each problem", () => {
    write("cards/links.md", article("Links", "See [fees](../fees/missing.md) and [lost](lost.md)."));
    write("cards/dup.md", article("Lost card", "Same title as another article."));
    write("cards/blank.md", article("Blank", "- [x] a checklist item is fine\n\nTry again after [time] or call us."));
    write("cards/js.md", '---js\n({ title: "Runs code" })\n---\nBody.\n');
    write(
      "cards/asked.md",
      "---\ntitle: Asked\nquestions:\n  asked: [what is this]\n  step-2: [and then]\n---\nIntro.\n\n## Step 1\n\nDo it.\n",
    );
    write(
      "intents/lost.yaml",
      "name: lost\ndescription: d\naction: answer\nanswer:\n  - cards/lost.md#freeze\n  - cards/lost.md#nope\n  - cards/gone.md\nexamples: [x]\n",
    );
    const { problems } = lintKnowledge(dir);
    const text = problems.map((p) => `${p.path}:${p.line}: ${p.message}`);
    expect(text).toContain("cards/links.md:6: broken link: ../fees/missing.md");
    expect(text.some((t) => t.startsWith("cards/") && t.includes('duplicate title "Lost card"'))).toBe(true);
    expect(text.some((t) => t.startsWith("bad/no-title.md:1: bad front matter: title"))).toBe(true);
    expect(text).toContain("cards/blank.md:8: template placeholder [time] left in the text");
    expect(text.filter((t) => t.startsWith("cards/blank.md"))).toHaveLength(1);
    expect(text).toContain('cards/js.md:1: bad front matter: only YAML front matter is allowed (found "---js")');
    // Sample questions name sections that exist (the title's anchor is the opening's).
    expect(text.filter((t) => t.startsWith("cards/asked.md"))).toEqual(["cards/asked.md:1: questions: the article has no section #step-2"]);
    // Intents' answer pointers name an existing article and section.
    expect(text).toContain("intents/lost.yaml:6: answer: cards/lost.md has no section #nope");
    expect(text).toContain("intents/lost.yaml:7: answer: no article cards/gone.md");
    expect(text.filter((t) => t.startsWith("intents/"))).toHaveLength(2);
  });
});
