import { hanScript } from "../knowledge/hanFold.ts";
import { onDemand } from "../onDemand.ts";
import type { Language } from "./language.ts";

/**
 * The language the assistant's own sentences are written in: English, or Chinese in the
 * script the customer wrote. The knowledge search already prefers a zh-TW article for a
 * question in traditional characters (KnowledgeSearch.queryLanguage, by the same
 * hanScript), so an answer quoting it and the fixed sentences around it (the handoff,
 * the decline, the sections offered, the lead-ins) agree.
 */
export type ReplyLanguage = Language | "zh-Hant";

/**
 * "zh-Hant" for a Chinese message in traditional characters; else its language
 * (simplified is the default). A message of characters both scripts share ("你好",
 * "好的") says nothing of the script: the one the customer last wrote in (`earlier`,
 * kept in the bot state as `chineseScript`) holds.
 */
export function replyLanguage(text: string, language: Language, earlier?: ChineseScript): ReplyLanguage {
  return language === "zh" && chineseScriptOf(text, earlier) === "traditional" ? "zh-Hant" : language;
}

export type ChineseScript = "traditional" | "simplified";

/** The script a message shows, else the one remembered: what the bot state keeps. */
export function chineseScriptOf(text: string, earlier?: ChineseScript): ChineseScript | undefined {
  return hanScript(text) ?? earlier;
}

/** The locale of the articles written in a reply's Chinese script (sections are offered in it); none for English. */
export function articleLocaleOf(lang: ReplyLanguage): "zh-TW" | "zh-CN" | undefined {
  return lang === "zh-Hant" ? "zh-TW" : lang === "zh" ? "zh-CN" : undefined;
}

/** The language a reply's text table is keyed by. */
export function baseLanguage(lang: ReplyLanguage): Language {
  return lang === "en" ? "en" : "zh";
}

// OpenCC's simplified → traditional tables (opencc-js, Apache-2.0), phrases first, then
// characters, so that 发 becomes 發 or 髮 by the word it is in. Its cn2t build is about
// 1 MB of dictionaries: loaded with the first traditional reply, not at start.
const openCC = onDemand<typeof import("opencc-js/cn2t")>("opencc-js/cn2t");
let toTaiwan: ((text: string) => string) | undefined;
const converted = new Map<string, string>();

/**
 * Simplified Chinese text in traditional characters, with Taiwan's standard forms (the
 * "tw" variant: 裡, 著), as the knowledge base's zh-TW articles write them; not Taiwan's
 * phrasing ("twp": 網路 for 网络), which Hong Kong customers do not use. The assistant's
 * sentences are few and fixed: each is converted once.
 */
export function inTraditional(text: string): string {
  const known = converted.get(text);
  if (known !== undefined) return known;
  const out = traditional(text);
  converted.set(text, out);
  return out;
}

/**
 * An answer in the customer's script: most articles exist in simplified characters only
 * (the demo guide has five in zh-TW), so a customer writing traditional ones was quoted a
 * simplified passage inside traditional sentences. Converted each time, not kept: answers
 * are as many as the questions. Values (amounts, phone numbers, links) have no characters
 * to convert; the customer's words are matched folded, so nothing downstream changes.
 */
export function answerInScript(text: string, lang: ReplyLanguage): string {
  return lang === "zh-Hant" ? traditional(text) : text;
}

function traditional(text: string): string {
  return (toTaiwan ??= openCC().Converter({ from: "cn", to: "tw" }))(text);
}
