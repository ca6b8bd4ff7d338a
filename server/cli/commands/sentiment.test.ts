import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

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
