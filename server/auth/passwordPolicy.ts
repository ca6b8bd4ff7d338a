import { AppError } from "../errors.ts";

/** Shortest password a person may choose. */
export const MIN_PASSWORD_LENGTH = 10;
/**
 * zxcvbn's score (0–4) a chosen password needs: 3 is "safely unguessable: moderate
 * protection from offline slow-hash attacks". Length alone let "aaaaaaaaaa" and
 * "password12" through; zxcvbn knows common and leaked passwords, keyboard patterns,
 * repeats, dates and the user's own name and e-mail.
 */
export const MIN_PASSWORD_SCORE = 3;

type Checker = { check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null } } };
let checker: Promise<Checker> | undefined;

// Loaded on first use: its dictionaries take memory a process that never sets a password should not hold.
async function load(): Promise<Checker> {
  const [{ ZxcvbnFactory }, common] = await Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]);
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }) as Checker;
}

/** What is wrong with a password someone chose, or undefined when it is acceptable. */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) return `A password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  // The e-mail and name whole, in their parts, and run together ("lina.zhang@…" → "linazhang").
  const inputs = userInputs
    .flatMap((s) => {
      const local = s.split("@")[0]!;
      return [s, local, local.replace(/[^\p{L}\p{N}]/gu, ""), ...s.split(/[@.\s_-]+/)];
    })
    .map((s) => s.toLowerCase())
    .filter((s) => s.length >= 3);
  const r = (await (checker ??= load())).check(password.slice(0, 100), inputs);
  if (r.score >= MIN_PASSWORD_SCORE) return undefined;
  return `This password is too easy to guess${r.feedback.warning ? ` (${describe(r.feedback.warning)})` : ""}: use a longer phrase of unrelated words`;
}

/** Throws a validation error naming the password field when the password is not acceptable. */
export async function assertAcceptablePassword(password: string, userInputs: string[] = []): Promise<void> {
  const problem = await passwordProblem(password, userInputs);
  if (problem) throw new AppError("validation_error", problem, [{ path: "password", message: problem }]);
}

/** zxcvbn-ts without a translation package answers with keys such as "simpleRepeat". */
const WARNINGS: Record<string, string> = {
  userInputs: "it contains your name or e-mail",
  common: "it is a common password",
  similarToCommon: "it is like a common password",
  simpleRepeat: "it repeats characters",
  extendedRepeat: "it repeats a pattern",
  sequences: "it is a sequence such as abc or 123",
  straightRow: "it is a row of keys",
  keyPattern: "it is a keyboard pattern",
  recentYears: "it contains a recent year",
  dates: "it contains a date",
};
function describe(warning: string): string {
  return WARNINGS[warning] ?? warning.replace(/([A-Z])/g, " $1").toLowerCase();
}
