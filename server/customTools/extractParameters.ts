import type { ParameterSchema, ParametersSchema } from "./definition.ts";
import { compileProperty } from "./definition.ts";

/**
 * Reads a tool's inputs from what the customer typed, by each input's type: a value of
 * its enum named in the message, a number within its bounds, a word matching its
 * pattern. Nothing is guessed: an input with no such sign (free text, a yes/no) is
 * left for the assistant to ask for, and then the whole answer is the value.
 */
export function extractParameters(schema: ParametersSchema, message: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const v = extractFrom(p, message);
    if (v !== undefined) found[name] = v;
  }
  return found;
}

/** The value of one input in a message, if the message shows one of its type. */
export function extractFrom(p: ParameterSchema, message: string): unknown {
  const valid = (v: unknown) => compileProperty(p).safeParse(v).success;
  switch (p.type) {
    case "string": {
      if (p.enum) {
        const lower = message.toLowerCase();
        // The longest value named wins ("express delivery" over "delivery").
        return [...p.enum].sort((a, b) => b.length - a.length).find((v) => lower.includes(v.toLowerCase()));
      }
      if (!p.pattern) return undefined;
      // The pattern as a whole word of the message: anchors dropped, edges where no Latin
      // letter or digit continues it (Chinese text may touch it: "单号SF12345678到了吗").
      const body = p.pattern.replace(/^\^/, "").replace(/(?<!\\)\$$/, "");
      const re = new RegExp(`(?<![A-Za-z0-9_-])(?:${body})(?![A-Za-z0-9_-])`, "gu");
      for (const m of message.matchAll(re)) if (m[0] && valid(m[0])) return m[0];
      return undefined;
    }
    case "integer":
    case "number": {
      for (const m of message.matchAll(/-?\d+(?:\.\d+)?/g)) {
        const n = Number(m[0]);
        if (valid(n)) return n;
      }
      return undefined;
    }
    case "boolean":
      return undefined;
  }
}

const YES = /^\s*(y|yes|yeah|yep|true|是|是的|对|對|要|需要|好)\s*[.!。！]?\s*$/i;
const NO = /^\s*(n|no|nope|false|否|不|不是|不要|不需要)\s*[.!。！]?\s*$/i;

/**
 * The customer's answer when asked for one input: the typed reading first, and for
 * free text the answer itself (trimmed); null when it is not a valid value.
 */
export function answerFor(p: ParameterSchema, answer: string): unknown {
  const typed = extractFrom(p, answer);
  if (typed !== undefined) return typed;
  const valid = (v: unknown) => compileProperty(p).safeParse(v).success;
  if (p.type === "boolean") return YES.test(answer) ? true : NO.test(answer) ? false : null;
  if (p.type === "string" && !p.enum) {
    const v = answer.trim();
    return valid(v) ? v : null;
  }
  return null;
}
