/**
 * `bankdesk chat` as evaluations use it: JSON lines in, one JSON line out per line;
 * lines with the same "conversation" continue it in order (history and bot state
 * carried), so a follow-up keeps its topic and "that didn't answer my question"
 * gets the next passage, then a person. Runs the real CLI on an embedded database.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEmbeddedDataDir } from "../helpers/testDatabase.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;

const ARTICLE = `---
title: Sending money abroad
locale: en
tags: [transfers]
---
You can send money abroad by SWIFT transfer from the app or a branch.

## How long it takes
International transfers arrive in 1–5 working days. Transfers sent before 15:00 on a working day leave the same day.

## What it costs
Each international transfer costs ¥150 plus 0.1% of the amount.

## Tracking a transfer
The app shows a reference number for every transfer abroad, which you can give the payee.
`;

const FEES = `---
title: Fee schedule
locale: en
tags: [fees]
---
## Transfer fees
Transfers within the country are free. A transfer abroad costs a cable fee of ¥150 and a remittance fee of 0.1% (at least ¥50).
`;

function chat(lines: object[]): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [
        path.join(ROOT, "server/cli/bin.mjs"),
        "chat",
        "--knowledge",
        path.join(dir, "kb"),
        "--intents",
        path.join(ROOT, "knowledge/intents"),
      ],
      { env: { ...process.env, DATA_DIR: path.join(dir, "data"), DATABASE_URL: "", REDIS_URL: "", LOG_LEVEL: "silent" }, timeout: 120_000 },
      (err, stdout) =>
        err
          ? reject(err)
          : resolve(
              stdout
                .trim()
                .split("\n")
                .map((l) => JSON.parse(l) as Record<string, unknown>),
            ),
    );
    child.stdin!.end(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-chat-"));
  seedEmbeddedDataDir(path.join(dir, "data/pg"));
  fs.mkdirSync(path.join(dir, "kb/transfers"), { recursive: true });
  fs.writeFileSync(path.join(dir, "kb/transfers/abroad.md"), ARTICLE);
  fs.writeFileSync(path.join(dir, "kb/transfers/fees.md"), FEES);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("bankdesk chat with conversations", () => {
  it("answers a follow-up from the earlier turn, keeps conversations apart, and hands off a rejected answer it cannot better", async () => {
    const out = await chat([
      { conversation: "a", text: "how long does an international transfer take" },
      { conversation: "b", text: "hello" },
      { conversation: "a", text: "and how much does it cost?" },
      { text: "and how much does it cost?" },
      { conversation: "a", text: "that didn't answer my question" },
      { conversation: "", text: "x" },
    ]);
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ conversation: "a", outcome: "answer" });
    expect(out[0]!.reply).toContain("1–5 working days");
    expect(out[1]).toMatchObject({ conversation: "b", outcome: "smalltalk" });
    // The follow-up is about transfers abroad: the fee, not a greeting or a decline.
    expect(out[2]).toMatchObject({ conversation: "a", outcome: "answer" });
    expect(out[2]!.reply).toContain("¥150");
    // The same words with no conversation stand alone.
    expect(out[3]).not.toHaveProperty("conversation");
    // A rejected answer, and no other passage shows what it costs (the rest say how long, or how
    // to track it): a person, rather than a passage that does not answer. (Another passage once,
    // with an apology, when one does: answerFeedback.test.ts.)
    expect(out[4]).toMatchObject({ outcome: "handoff", handoff: { needed: true, reason: "rejected_answers" } });
    expect(out[5]).toMatchObject({ text: null, error: expect.stringContaining("conversation") });
  }, 150_000);

  it("offers the closest sections after a decline as buttons; a line with a button's text taps it, and that section answers the question first asked", async () => {
    const out = await chat([
      { conversation: "e", text: "what if my transfer abroad goes missing" },
      { conversation: "e", text: "Sending money abroad: What it costs" },
    ]);
    expect(out[0]).toMatchObject({ outcome: "decline", citations: [] });
    const buttons = (out[0]!.quickReplies as Array<{ label: string; text: string }>).map((q) => q.text);
    expect(buttons).toContain("Sending money abroad: What it costs");
    expect(buttons.at(-1)).toBe("Talk to a person");
    expect(out[1]).toMatchObject({ outcome: "answer", citations: [{ path: "transfers/abroad.md", title: "Sending money abroad" }] });
    expect(out[1]!.reply).toContain("¥150 plus 0.1%");
  }, 150_000);
});
