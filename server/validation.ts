import { z } from "zod";
import { AppError } from "./errors.ts";

/** Parses untrusted input with a schema; a failure becomes a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = "input"): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) {
    // Found by fuzzing (tests/fuzz): PostgreSQL cannot store U+0000 in text or jsonb, so a NUL
    // anywhere in otherwise valid input ("a\u0000b" as a message) failed at INSERT with a 500.
    // It is refused here, for every REST body and socket payload, as the client's error it is.
    const nul = findNul(r.data, []);
    if (nul) {
      const path = nul.join(".");
      throw new AppError("validation_error", `Invalid ${where}: ${path ? path + ": " : ""}text may not contain NUL characters`, [
        { path, message: "text may not contain NUL characters" },
      ]);
    }
    return r.data;
  }
  const details = r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = details[0]!;
  throw new AppError("validation_error", `Invalid ${where}: ${first.path ? first.path + ": " : ""}${first.message}`, details);
}

export const uuid = z.string().uuid();

/** The path of the first string (value or key) containing U+0000, or undefined. */
function findNul(value: unknown, path: Array<string | number>): Array<string | number> | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000")) return [...path, k];
      const found = findNul(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}
