import { z } from "zod";
import { AppError } from "./errors.ts";

/** Parses untrusted input with a schema; a failure becomes a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = "input"): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = details[0]!;
  throw new AppError("validation_error", `Invalid ${where}: ${first.path ? first.path + ": " : ""}${first.message}`, details);
}

export const uuid = z.string().uuid();
