/**
 * Cheap, dependency-free language helpers for the assistant: which of our two
 * supported languages a message is in, and full-width forms folded to half-width.
 * (Traditional characters are folded to simplified by the knowledge base's
 * knowledge/hanFold.ts, the one table the search, the classifiers and the answer
 * kinds share.)
 *
 * These run on every incoming message, so they are plain character scans with no
 * allocation beyond the output string.
 */

export type Language = "en" | "zh";

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z\u00C0-\u024F]+/g;
const HAN_ALL = /\p{Script=Han}/gu;

/**
 * "en" or "zh". Han characters are compared with Latin *words* rather than letters,
 * because one Han character carries roughly one word's worth of meaning. Mixed text
 * such as "我的Visa卡被冻结了" is Chinese; "please check my 信用卡 bill for March" is
 * mostly Latin and therefore English. Text with neither (digits, emoji) is "en",
 * the assistant's default.
 */
export function detectLanguage(text: string): Language {
  if (!HAN.test(text)) return "en";
  const han = text.match(HAN_ALL)?.length ?? 0;
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  // Chinese when Han characters make up at least 40% of the "word" units.
  return han / (han + latinWords) >= 0.4 ? "zh" : "en";
}

/**
 * Full-width ASCII (Ａ-Ｚ, ０-９, full-width punctuation and the ideographic space) to
 * half-width, via NFKC, which also folds ligatures and compatibility forms. Chinese
 * sentence punctuation such as "，。？！" is normalised to ",.?!" as well, so rules
 * written for one language's punctuation apply to both.
 */
export function toHalfWidth(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[，、]/g, ",")
    .replace(/。/g, ".")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'");
}
