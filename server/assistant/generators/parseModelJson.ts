import type { z } from "zod";

/** A Markdown code fence a model puts around its JSON although asked not to: ```json … ``` or ``` … ```. */
const OPENING_FENCE = /^```(?:json)?[ \t]*\n?/i;
const CLOSING_FENCE = /\n?[ \t]*```$/;

/**
 * A chat model's answer that must be one JSON value of a known shape (the sentiment
 * model's probabilities, the sample questions' array). Strict: the JSON and nothing
 * else, with only a surrounding code fence tolerated, as models add one; prose around
 * it is refused, not searched for JSON. Throws with `message` (what the caller expected)
 * and why: a SyntaxError when the answer is not JSON, a TypeError when it is JSON of
 * another shape (the error's name is what the sentiment warning logs, not its message).
 * The reason names the first failing field, never the answer's text.
 */
export function parseModelJson<S extends z.ZodType>(text: string, schema: S, message: string): z.output<S> {
  const body = text.trim().replace(OPENING_FENCE, "").replace(CLOSING_FENCE, "").trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SyntaxError(`${message} (the answer is not JSON)`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "the answer";
    throw new TypeError(`${message} (${where}: ${issue?.message ?? "does not match"})`);
  }
  return parsed.data;
}
