import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promptText, startFakeOpenAI, type FakeOpenAI } from "../helpers/fakeOpenAI.ts";
import { parseArticle } from "../../server/knowledge/parseArticle.ts";

/**
 * `bankdesk kb suggest-questions` against a real OpenAI-compatible server (the fake
 * one): the production client and prompt run unchanged; the articles' front matter
 * gains the questions, every other line kept.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");

const LOST = `---
title: Lost card
tags: [cards] # the team's comment stays
locale: en
questions:
  step-1-freeze-it:
    - my card is gone what now
---
Act at once.

## Step 1: freeze it

Tap **Freeze** in the app.

## Step 2: replace it

A new card costs ¥10 and arrives in 5–7 working days.
`;

const FEES = `---
title: 收费标准
locale: zh-CN
---
## 转账

手机银行转账免费。
`;

let fake: FakeOpenAI;
let dir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "server/cli/bin.mjs"), "kb", "suggest-questions", "--knowledge", dir, ...args],
      {
        env: { ...process.env, OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: "test", OPENAI_MODEL: "fake-model", LOG_LEVEL: "silent" },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  fake = await startFakeOpenAI((body) => {
    const prompt = promptText(body);
    // One section's model answer is not JSON: that section fails, the rest go on.
    if (prompt.includes("手机银行转账免费")) return "Sure! Here are some questions.";
    const heading = /<section_heading>(.*)<\/section_heading>/.exec(prompt)?.[1] ?? "?";
    return "```json\n" + JSON.stringify([`q1 about ${heading}`, `q2 about ${heading}`, `q1 about ${heading}`]) + "\n```";
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-suggest-"));
  fs.mkdirSync(path.join(dir, "cards"));
  fs.mkdirSync(path.join(dir, "fees"));
  fs.writeFileSync(path.join(dir, "cards/lost.md"), LOST);
  fs.writeFileSync(path.join(dir, "fees/fees.zh-CN.md"), FEES);
});

afterAll(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("kb suggest-questions", () => {
  it("prints drafts for the sections without sample questions, writing nothing, and names the failures", async () => {
    const r = await cli(["--per-section", "2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("# cards/lost.md\nquestions:\n  lost-card:\n");
    expect(r.stdout).toContain('    - "q1 about Lost card › Step 2: replace it"');
    // The section that has sample questions is not asked about; duplicates are dropped.
    expect(r.stdout).not.toContain("Step 1");
    expect(r.stdout.match(/q1 about Lost card › Step 2/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/failed fees\/fees\.zh-CN\.md#转账: the model did not answer with a JSON array/);
    expect(fs.readFileSync(path.join(dir, "cards/lost.md"), "utf8")).toBe(LOST);
    // The prompt asks for the article's language and carries the section's text.
    const prompts = fake.chatRequests().map(promptText).join("\n");
    expect(prompts).toContain("simplified Chinese");
    expect(prompts).toContain("A new card costs ¥10");
  });

  it("adds them to the front matter with --write, keeping every other line", async () => {
    const r = await cli(["--per-section", "2", "--write"]);
    expect(r.stderr).toMatch(/4 questions for 2 sections, added to 1 articles; 1 failed/);
    const text = fs.readFileSync(path.join(dir, "cards/lost.md"), "utf8");
    expect(text).toContain("tags: [cards] # the team's comment stays");
    expect(text.slice(text.indexOf("\n---\n"))).toBe(LOST.slice(LOST.indexOf("\n---\n")));
    const a = parseArticle(text);
    expect(a.unknownQuestionAnchors).toEqual([]);
    expect(a.passages.map((p) => p.questions)).toEqual([
      ["q1 about Lost card", "q2 about Lost card"],
      ["my card is gone what now"],
      ["q1 about Lost card › Step 2: replace it", "q2 about Lost card › Step 2: replace it"],
    ]);
    expect(fs.readFileSync(path.join(dir, "fees/fees.zh-CN.md"), "utf8")).toBe(FEES);
  });

  it("refuses to run without a language model, with a clear message", async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(ROOT, "server/cli/bin.mjs"), "kb", "suggest-questions", "--knowledge", dir],
        { env: { ...process.env, OPENAI_BASE_URL: "", OPENAI_API_KEY: "", OPENAI_MODEL: "" } },
        (err, _out, stderr) => resolve({ code: err ? 1 : 0, stderr }),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs a language model: set OPENAI_MODEL/);
  });
});
