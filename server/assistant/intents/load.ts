/**
 * Loads intent definitions from knowledge/intents/*.yaml. Content editors maintain
 * these files, so one broken file must not take the assistant down: it is reported
 * through `onWarning` (with the file name and the zod issue) and skipped.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** The name classify() returns when no intent fits; no file may use it. */
export const OUT_OF_SCOPE = "out_of_scope";

const ACTION = /^(answer|handoff|tool:[a-z][a-z0-9_]*)$/;

export const IntentDefSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "must be lower_snake_case")
    .refine((n) => n !== OUT_OF_SCOPE, `"${OUT_OF_SCOPE}" is reserved`),
  description: z.string().trim().min(1),
  action: z.string().regex(ACTION, 'must be "answer", "handoff" or "tool:<name>"'),
  /**
   * Where the knowledge base answers this intent: articles, or sections of them
   * (`cards/lost-or-stolen-card.md#step-1-freeze-the-card-now`); their translations
   * count too. When the intent is recognised, these passages rank higher
   * (rankPassages' `steered` feature). `kb lint` checks that each exists.
   */
  answer: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]))
    .pipe(z.array(z.string().regex(/^[^#\s]+\.md(#[^\s]+)?$/, "must be an article path, optionally with #section"))),
  // YAML turns bare numbers ("110") into numbers; an example is always text.
  examples: z
    .array(z.union([z.string(), z.number()]).transform((e) => String(e).trim()))
    .transform((es) => es.filter((e) => e.length > 0))
    .pipe(z.array(z.string()).min(1, "needs at least one non-empty example")),
});

export type IntentDef = z.infer<typeof IntentDefSchema>;

/** "answer", "handoff" or "tool:<name>". */
export type IntentAction = IntentDef["action"];

export interface LoadIntentsOptions {
  /** Called once per skipped file or duplicate; default: ignore. */
  onWarning?: (message: string, file: string) => void;
}

function describeZodError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
}

/**
 * Reads every *.yaml / *.yml file in `dir` (not recursive), in file-name order so
 * results are deterministic. Throws only when the directory itself cannot be read.
 * A later file whose `name` repeats an earlier one is skipped with a warning.
 */
export async function loadIntents(dir: string, options: LoadIntentsOptions = {}): Promise<IntentDef[]> {
  const warn = options.onWarning ?? (() => {});
  const entries = (await fs.readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const out: IntentDef[] = [];
  const seen = new Map<string, string>();
  for (const file of entries) {
    const full = path.join(dir, file);
    let data: unknown;
    try {
      data = parseYaml(await fs.readFile(full, "utf8"));
    } catch (err) {
      warn(`${file}: invalid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`, full);
      continue;
    }
    const parsed = IntentDefSchema.safeParse(data);
    if (!parsed.success) {
      warn(`${file}: ${describeZodError(parsed.error)}`, full);
      continue;
    }
    const prev = seen.get(parsed.data.name);
    if (prev) {
      warn(`${file}: intent "${parsed.data.name}" is already defined in ${prev}; skipped`, full);
      continue;
    }
    seen.set(parsed.data.name, file);
    out.push(parsed.data);
  }
  return out;
}
