import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import classifyCommand from "./classify.ts";
import { mapJsonLines } from "../jsonLines.ts";
import sentimentCommand from "./sentiment.ts";

async function run(input: string, fn: (t: string) => Record<string, unknown>) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const stats = await mapJsonLines(Readable.from([input]), out, fn);
  out.end();
  return {
    stats,
    lines: Buffer.concat(chunks)
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

describe("mapJsonLines", () => {
  it("answers every input line in order and reports bad lines without stopping", async () => {
    const input = ['{"text":"a"}', "not json", '{"text":5}', "", '{"text":"b"}', "null", '{"text":"c"}'].join("\n") + "\n";
    const { stats, lines } = await run(input, (t) => ({ text: t, upper: t.toUpperCase() }));
    expect(lines).toHaveLength(7);
    expect(lines[0]).toEqual({ text: "a", upper: "A" });
    expect(lines[1]).toMatchObject({ text: null, error: expect.stringMatching(/invalid JSON/) });
    expect(lines[2]).toMatchObject({ text: null, error: expect.stringMatching(/string "text"/) });
    expect(lines[3]).toEqual({ text: null, error: "empty line" });
    expect(lines[4]).toEqual({ text: "b", upper: "B" });
    expect(lines[5]!.text).toBeNull();
    expect(lines[6]).toEqual({ text: "c", upper: "C" });
    expect(stats).toEqual({ lines: 7, errors: 4 });
  });

  it("turns an exception in the mapper into an error line", async () => {
    const { lines } = await run('{"text":"x"}\n{"text":"y"}\n', (t) => {
      if (t === "x") throw new Error("boom");
      return { text: t };
    });
    expect(lines).toEqual([{ text: null, error: "boom" }, { text: "y" }]);
  });

  it("hands lines to a batch mapper in order, in batches of at most batchSize, bad lines keeping their place", async () => {
    const input = ['{"text":"a"}', "not json", '{"text":"b"}', '{"text":"c"}', '{"text":"d"}', "", '{"text":"e"}'].join("\n") + "\n";
    const batches: string[][] = [];
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const stats = await mapJsonLines(Readable.from([input]), out, () => ({ unused: true }), {
      batchSize: 3,
      batch: async (items) => {
        batches.push(items.map((i) => i.text));
        if (items.some((i) => i.text === "e")) throw new Error("model down");
        return items.map((i) => ({ text: i.text, upper: i.text.toUpperCase() }));
      },
    });
    out.end();
    const lines = Buffer.concat(chunks)
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Batches count lines read (a bad line takes a place), so output never waits long behind one.
    expect(batches).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(lines).toEqual([
      { text: "a", upper: "A" },
      { text: null, error: expect.stringMatching(/invalid JSON/) },
      { text: "b", upper: "B" },
      { text: "c", upper: "C" },
      { text: "d", upper: "D" },
      { text: null, error: "empty line" },
      { text: null, error: "model down" },
    ]);
    expect(stats).toEqual({ lines: 7, errors: 3 });
  });

  it("handles CRLF input and thousands of lines", async () => {
    const input = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ text: `m${i}` })).join("\r\n");
    const { lines } = await run(input, (t) => ({ text: t }));
    expect(lines).toHaveLength(5000);
    expect(lines[4999]).toEqual({ text: "m4999" });
  });
});

describe("commands", () => {
  it("are commander commands with the expected names and options", () => {
    const c = classifyCommand();
    expect(c.name()).toBe("classify");
    expect(c.options.map((o) => o.long)).toContain("--intents");
    expect(sentimentCommand().name()).toBe("sentiment");
  });
});
