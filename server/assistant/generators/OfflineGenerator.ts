import type { AnswerGenerator, GenerateInput, GenerateResult } from "./AnswerGenerator.ts";
import { tokenize } from "../../knowledge/text.ts";
import { say } from "../replies.ts";

const MAX_SENTENCES = 4;

/** A unit of a passage the answer may quote: a prose sentence, a list item, or a whole table. */
export interface Unit {
  text: string;
  kind: "prose" | "item" | "table";
}

/** Splits a passage into quotable units, keeping each unit's Markdown verbatim. */
export function units(text: string): Unit[] {
  const out: Unit[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.trim());
    if (!lines.length) continue;
    // A table is only meaningful whole (header, separator, rows).
    if (lines.every((l) => /^\s*\|/.test(l))) {
      out.push({ text: lines.join("\n"), kind: "table" });
      continue;
    }
    if (lines.some((l) => /^\s*([-*+]|\d+[.)])\s/.test(l))) {
      // In a list block every line stands on its own, bullet or not.
      for (const l of lines) out.push({ text: l.trim(), kind: "item" });
      continue;
    }
    const prose = lines.join(" ");
    // A sentence ends at 。！？, or at . ! ? followed by a space (not inside "4.5%" or a link's "../x.md").
    for (const m of prose.matchAll(/.+?(?:[。！？]+["”’)]?|[.!?]+["”’)]?(?=\s|$)|$)/g)) {
      const u = m[0].trim();
      if (u) out.push({ text: u, kind: "prose" });
    }
  }
  return out;
}

/** Joins chosen units back into Markdown: prose flows, list items and tables keep their lines. */
export function joinUnits(chosen: Unit[], language: "en" | "zh"): string {
  let out = "";
  let prev: Unit | undefined;
  for (const u of chosen) {
    if (!prev) out = u.text;
    else if (u.kind === "prose" && prev.kind === "prose") out += (language === "zh" ? "" : " ") + u.text;
    else if (u.kind === "table" || prev.kind === "table") out += "\n\n" + u.text;
    else out += "\n" + u.text;
    prev = u;
  }
  return out;
}

/**
 * The offline default: composes the answer from the best passage's own sentences
 * (no invented text), picking those that share most with the question and keeping
 * them in the passage's order. Every unit it returns is verbatim from a cited
 * passage, which the evaluation checks.
 */
export class OfflineGenerator implements AnswerGenerator {
  readonly kind = "offline" as const;

  async generate({ question, passages, language }: GenerateInput): Promise<GenerateResult> {
    const best = passages[0];
    if (!best) return { declined: true };
    const q = new Set(tokenize(question));
    const all = units(best.text);
    const scored = all.map((u, i) => {
      const toks = tokenize(u.text);
      const overlap = toks.filter((t) => q.has(t)).length;
      // Earlier sentences of a section usually carry its main point.
      return { u, i, score: overlap / Math.sqrt(toks.length + 1) + (i === 0 ? 0.3 : 0) - i * 0.01 };
    });
    const chosen = scored
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.min(MAX_SENTENCES, all.length))
      .sort((a, b) => a.i - b.i)
      .map((x) => x.u);
    if (!chosen.length) return { declined: true };
    const body = joinUnits(chosen, language);
    return { declined: false, text: `${say("fromArticle", language)}\n\n${body}`, used: [best] };
  }
}
