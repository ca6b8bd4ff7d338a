import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeOpenAI } from "../../../tests/helpers/fakeOpenAI.ts";

const BIN = path.resolve(import.meta.dirname, "../bin.mjs");

/** The CLI as a user runs it: JSON lines on stdin, JSON lines on stdout. */
function sentiment(lines: unknown[]): Array<Record<string, unknown>> {
  const r = spawnSync(process.execPath, [BIN, "sentiment"], {
    input: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    encoding: "utf8",
  });
  expect(r.status).toBe(0);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("bankdesk sentiment", () => {
  it("scores each line, and follows each conversation's mood over its turns", () => {
    const out = sentiment([
      { text: "Thanks, that was really helpful!" },
      { conversation: "a", text: "how do I freeze my card?" },
      { conversation: "b", text: "I have a question about the fees" },
      { conversation: "a", text: "I asked twice already and it still doesn't work" },
      { conversation: "a", text: "This is ridiculous, I am furious and want my money back NOW" },
      { conversation: "b", text: "great, thank you so much" },
    ]);
    expect(out[0]).toEqual({ text: "Thanks, that was really helpful!", label: "positive", score: expect.any(Number) });
    expect(out[0]).not.toHaveProperty("trend");
    // One turn has no course yet; the angrier customer's conversation gets worse, the other better.
    expect(out[1]).toMatchObject({ conversation: "a", trend: "stable", slope: 0 });
    expect(out[4]).toMatchObject({ conversation: "a", label: "negative", trend: "worsening" });
    expect(out[4]!.slope as number).toBeLessThan(-0.1);
    expect(out[5]).toMatchObject({ conversation: "b", label: "positive", trend: "improving" });
  });
});

describe("bankdesk sentiment with SENTIMENT=llm", () => {
  it("reads the lines with the configured model, in batches, in order, bad lines in their place", async () => {
    const fake = await startFakeOpenAI((body) => {
      const message = String(body.messages.at(-1)!.content);
      if (message.includes("broken")) return "I think it is negative";
      return JSON.stringify(
        message.includes("furious") ? { negative: 0.9, neutral: 0.1, positive: 0 } : { negative: 0, neutral: 0.9, positive: 0.1 },
      );
    });
    try {
      const child = spawn(process.execPath, [BIN, "sentiment"], {
        env: { ...process.env, SENTIMENT: "llm", OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_MODEL: "fake-model", LOG_LEVEL: "error" },
      });
      let stdout = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stdin.end(
        [
          JSON.stringify({ conversation: "a", text: "how do I freeze my card?" }),
          "not json",
          JSON.stringify({ conversation: "a", text: "I am furious, nobody answers" }),
          JSON.stringify({ text: "this one is broken" }),
        ].join("\n") + "\n",
      );
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      const out = stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(out).toHaveLength(4);
      expect(out[0]).toMatchObject({ conversation: "a", label: "neutral", score: expect.closeTo(0.1, 10), trend: "stable" });
      expect(out[1]).toMatchObject({ text: null, error: expect.stringMatching(/invalid JSON/) });
      expect(out[2]).toMatchObject({ conversation: "a", label: "negative", score: expect.closeTo(-0.9, 10), trend: "worsening" });
      // An unusable answer: the lexicon's reading of that line.
      expect(out[3]).toMatchObject({ text: "this one is broken", label: expect.any(String), score: expect.any(Number) });
      expect(fake.chatRequests()).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });
});
