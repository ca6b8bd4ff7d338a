import crypto from "node:crypto";
import { toHalfWidth } from "../../server/assistant/language.ts";
import { foldHan } from "../../server/knowledge/hanFold.ts";
import { readJsonl } from "./data.ts";

/**
 * The end-to-end answer set (eval/data/answers-*.jsonl): questions written blind,
 * from the articles alone and in customers' words, by someone who had not read the
 * retrieval code. Each item is one conversation; the reply to its last turn is
 * graded. `facts`: groups of alternatives, every group must appear in the reply;
 * `not`: strings that must not. Items are split by a hash of their id into a
 * development half (tuned on) and a holdout half (only ever reported).
 */
export interface AnswerItem {
  id: string;
  lang: "en" | "zh";
  kind: "answer" | "decline";
  turns: string[];
  facts: string[][];
  not: string[];
  source: string | null;
}

export type Split = "dev" | "holdout";
export type Outcome = "correct" | "wrong" | "declined";

export function splitOf(id: string): Split {
  return crypto.createHash("sha256").update(id).digest()[0]! % 2 === 0 ? "dev" : "holdout";
}

/**
 * Set "a" (answers-{en,zh}.jsonl) is the one the answer models were tuned on (its dev
 * half). Set "b" (answers-{en,zh}-b.jsonl) was written later by another blind writer,
 * in the same way, and nothing was tuned on either of its halves before it was first
 * reported: a check that what helped set a's dev half is not fitted to it. Set "c"
 * (answers-{en,zh}-c.jsonl, session 10) is a third writer's, larger (301 items, a tenth
 * of them follow-ups), first reported before anything was changed for it. Set "d"
 * (answers-{en,zh}-d.jsonl, session 12) is a fourth writer's (289 items, three
 * questions on every article, a few in traditional characters), likewise. Set "e"
 * (answers-{en,zh}-e.jsonl, session 18) is a fifth writer's (315 items, a quarter of
 * them two- or three-turn conversations, a tenth of the Chinese in traditional
 * characters), reported before anything was changed for it.
 */
export type AnswerSetName = "a" | "b" | "c" | "d" | "e";
export const ANSWER_SETS: readonly AnswerSetName[] = ["a", "b", "c", "d", "e"];

export function loadAnswerSet(set: AnswerSetName = "a"): Array<AnswerItem & { split: Split }> {
  const files = set === "a" ? ["answers-en.jsonl", "answers-zh.jsonl"] : [`answers-en-${set}.jsonl`, `answers-zh-${set}.jsonl`];
  return files.flatMap((f) => readJsonl<AnswerItem>(f).map((item) => ({ ...item, split: splitOf(item.id) })));
}

/** What matching sees: full-width folded, simplified characters, one kind of dash, no Markdown emphasis, spaces collapsed, lower case. */
export function foldForMatch(text: string): string {
  return foldHan(toHalfWidth(text.normalize("NFKC")))
    .replace(/[‐‑‒–—―－]/g, "-")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .toLowerCase();
}

/**
 * Grades the reply to an item's last turn. A decline or a handoff is "declined";
 * an answer is "correct" when it has every fact group and none of the forbidden
 * strings, "wrong" otherwise. For a must-decline item any answer is wrong.
 */
export function grade(item: AnswerItem, reply: { text: string; answered: boolean }): Outcome {
  if (!reply.answered) return "declined";
  if (item.kind === "decline") return "wrong";
  const t = foldForMatch(reply.text);
  const has = (s: string) => t.includes(foldForMatch(s));
  if (item.not.some(has)) return "wrong";
  return item.facts.every((group) => group.some(has)) ? "correct" : "wrong";
}
