import { en, type Strings } from "./en.ts";
import { zhCN } from "./zh-CN.ts";
import { zhTW } from "./zh-TW.ts";

export type Locale = "en" | "zh-CN" | "zh-TW";
export type { Strings };

const TABLES: Record<Locale, Strings> = { en, "zh-CN": zhCN, "zh-TW": zhTW };

/** Maps any BCP 47 tag (zh-Hant-HK, zh_TW, en-GB...) onto a supported locale. */
export function resolveLocale(requested?: string | null): Locale {
  const candidates = [requested, ...(typeof navigator !== "undefined" ? [...(navigator.languages ?? []), navigator.language] : [])];
  for (const c of candidates) {
    if (!c) continue;
    const tag = String(c).replace("_", "-").toLowerCase();
    if (tag.startsWith("zh")) return /hant|tw|hk|mo/.test(tag) ? "zh-TW" : "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}

export function strings(locale: Locale): Strings {
  return TABLES[locale];
}

/** Fills `{key}` placeholders. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
