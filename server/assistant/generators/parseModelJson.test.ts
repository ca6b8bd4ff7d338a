import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseModelJson } from "./parseModelJson.ts";

const Pair = z.object({ a: z.number(), b: z.string() }).strict();
const EXPECTED = "the model did not answer with a pair";

describe("parseModelJson: a model's JSON answer, checked", () => {
  it("reads bare JSON", () => {
    expect(parseModelJson('{"a":1,"b":"x"}', Pair, EXPECTED)).toEqual({ a: 1, b: "x" });
  });

  it("reads JSON inside a code fence, with or without its json tag, and around whitespace", () => {
    expect(parseModelJson('```json\n{"a":1,"b":"x"}\n```', Pair, EXPECTED)).toEqual({ a: 1, b: "x" });
    expect(parseModelJson('  ```JSON {"a":2,"b":"y"} ```\n', Pair, EXPECTED)).toEqual({ a: 2, b: "y" });
    expect(parseModelJson("```\n[1, 2]\n```", z.array(z.number()), EXPECTED)).toEqual([1, 2]);
  });

  it("refuses an answer that is not JSON, or JSON with prose around it, as a SyntaxError naming what was expected", () => {
    for (const bad of ["a pair", 'Here it is: {"a":1,"b":"x"}', '```json\n{"a":1,"b":"x"}\n```\nHope this helps', '{"a":1,', ""]) {
      expect(() => parseModelJson(bad, Pair, EXPECTED), bad).toThrow(SyntaxError);
      expect(() => parseModelJson(bad, Pair, EXPECTED), bad).toThrow("the model did not answer with a pair (the answer is not JSON)");
    }
  });

  it("refuses JSON of another shape as a TypeError naming the field, never echoing the answer", () => {
    expect(() => parseModelJson('{"a":"secret-value","b":"x"}', Pair, EXPECTED)).toThrow(TypeError);
    expect(() => parseModelJson('{"a":"secret-value","b":"x"}', Pair, EXPECTED)).toThrow(/^the model did not answer with a pair \(a: /);
    expect(() => parseModelJson('{"a":"secret-value","b":"x"}', Pair, EXPECTED)).not.toThrow(/secret-value/);
    expect(() => parseModelJson("[1, 2]", Pair, EXPECTED)).toThrow(/^the model did not answer with a pair \(the answer: /);
    expect(() => parseModelJson('{"a":1,"b":"x","c":true}', Pair, EXPECTED)).toThrow(TypeError);
  });
});
