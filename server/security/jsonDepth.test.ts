import { describe, expect, it } from "vitest";
import { jsonDepth } from "./jsonDepth.ts";

const depth = (s: string) => jsonDepth(Buffer.from(s));

describe("jsonDepth", () => {
  it("counts nesting, not brackets inside strings", () => {
    expect(depth('{"a": 1}')).toBe(1);
    expect(depth('{"a": [[{"b": "[[[[{{{"}]]]}')).toBe(4);
    expect(depth('{"a": "\\"[[[["}')).toBe(1);
    expect(depth("[".repeat(6000) + "]".repeat(6000))).toBe(6000);
  });
});
