import type { AnswerGenerator, GenerateInput, GenerateResult } from "./AnswerGenerator.ts";
import { tokenize } from "../../knowledge/text.ts";
import { say } from "../replies.ts";

const MAX_SENTENCES = 4;

/** Splits a passage into sentences/list items, keeping the Markdown of each. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.trim());
    // Lists and tables keep their lines; prose is split at sentence ends.
    if (lines.some((l) => /^\s*([-*+]|\d+[.)]|\|)/.test(l))) {
      for (const l of lines) if (!/^\s*\|?\s*:?-{3,}/.test(l)) out.push(l.trim());
      continue;
    }
    const prose = lines.join(" ");
    for (const m of prose.matchAll(/[^.!?。！？]+(?:[.!?。！？]+["”’)]?|$)/g)) {
      const s = m[0].trim();
      if (s) out.push(s);
    }
  }
  return out;
}

/**
 * The offline default: composes the answer from the best passage's own sentences
 * (no invented text), picking those that share most with the question and keeping
 * them in the passage's order. Every sentence it returns is verbatim from a cited
 * passage, which the evaluation checks.
 */
export class OfflineGenerator implements AnswerGenerator {
  readonly kind = "offline" as const;

  async generate({ question, passages, language }: GenerateInput): Promise<GenerateResult> {
    const best = passages[0];
    if (!best) return { declined: true };
    const q = new Set(tokenize(question));
    const all = sentences(best.text);
    const scored = all.map((s, i) => {
      const toks = tokenize(s);
      const overlap = toks.filter((t) => q.has(t)).length;
      // Earlier sentences of a section usually carry its main point.
      return { s, i, score: overlap / Math.sqrt(toks.length + 1) + (i === 0 ? 0.3 : 0) - i * 0.01 };
    });
    const chosen = scored
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.min(MAX_SENTENCES, all.length))
      .sort((a, b) => a.i - b.i)
      .map((x) => x.s);
    if (!chosen.length) return { declined: true };
    const list = chosen.some((s) => /^([-*+]|\d+[.)])\s/.test(s));
    const body = list ? chosen.join("\n") : chosen.join(language === "zh" ? "" : " ");
    return { declined: false, text: `${say("fromArticle", language)}\n\n${body}`, used: [best] };
  }
}
