import type { QuickReply, SectionSuggestion } from "../types.ts";
import { chosenIndex } from "../choices.ts";
import type { RankedPassage } from "./rankPassages.ts";
import { articleStem } from "../../knowledge/articlePaths.ts";
import { foldHan } from "../../knowledge/hanFold.ts";

/**
 * When the assistant is not sure enough to answer, it does not guess: it names the
 * parts of the guide its question came closest to and lets the customer tap the one
 * they meant (or a person). The tapped section then answers the question as first
 * asked. Rasa's two-stage fallback and Intercom's "did you mean" do the same.
 */

/**
 * At most this many sections are offered. Measured on the development halves of the
 * four blind answer sets, with a simulated customer who taps the section of the article
 * they asked about (eval/answers.ts): English questions answered with the facts after
 * a tap, sets a/b/c/d, 78/84/70/68 % with one section offered, 81/84/71/72 % with two,
 * 81/86/74/73 % with three; a fourth added one question of 280.
 */
export const MAX_SUGGESTIONS = 3;
/**
 * At most this many of one article, so that another article is on offer when the best
 * one is wrong. On the dev halves (a tap on the first button naming the article meant),
 * English after a tap, sets c/d: 73.9/73.3 % with no limit, 75.4/75.0 % with two, 76.8/75.0 %
 * with one; sets a and b unchanged. Two keeps a choice between the best article's sections,
 * which a customer reading the labels uses and the simulated one does not.
 */
export const MAX_PER_ARTICLE = 2;
/**
 * Below this confidence in the best passage nothing is offered: the question is not
 * about the guide ("can you recommend a good restaurant": 0.09, offered a PIN change).
 * On the four sets' dev halves 0.1 drops 3 of the 113 declined questions whose
 * article was among the first three candidates; 0.2 drops 6, 0.25 drops 11.
 */
export const SUGGEST_MIN_CONFIDENCE = 0.1;
/** Longest label on a button; a longer heading is cut at a word. */
const MAX_LABEL = 80;

/**
 * The sections the best candidates belong to, each once, by the heading the customer
 * reads. An article's translations count as one article and a section's as one section
 * (a simplified and a traditional 怀疑受骗怎么办 were offered side by side), offered in
 * the customer's script (`locale`, zh-CN or zh-TW) where the candidates hold it.
 */
export function suggestSections(ranked: RankedPassage[], locale?: string): SectionSuggestion[] {
  const out: Array<SectionSuggestion & { key: string; stem: string; locale?: string; section: number }> = [];
  for (const p of ranked) {
    const stem = articleStem(p.path);
    const key = `${stem}#${sectionKey(p.heading)}`;
    // Translations keep their sections in the same order, so a section's translation is found by its place
    // too: their headings need not match word for word ("网点标准营业时间" and "分行標準營業時間").
    const same = out.findIndex((s) => s.key === key || (s.path !== p.path && s.stem === stem && s.section === p.section));
    if (same >= 0) {
      if (locale && p.locale === locale && out[same]!.locale !== locale) out[same] = offer(p, key, stem);
      continue;
    }
    if (out.length >= MAX_SUGGESTIONS) continue;
    const label = sectionLabel(p);
    if (out.some((s) => s.label === label)) continue;
    if (out.filter((s) => s.stem === stem).length >= MAX_PER_ARTICLE) continue;
    out.push(offer(p, key, stem));
  }
  return out.map(({ label, passageId, path }) => ({ label, passageId, path }));
}

function offer(p: RankedPassage, key: string, stem: string) {
  return { label: sectionLabel(p), passageId: p.passageId, path: p.path, key, stem, locale: p.locale, section: p.section };
}

/** A section by its own heading, in simplified characters (the opening by none): the same in an article's translations. */
function sectionKey(heading: string): string {
  const parts = heading.split(" › ");
  return parts.length > 1 ? foldHan(parts.at(-1)!.trim()) : "";
}

/**
 * "Sending money abroad: Fees and timing": the article's title and the section's own
 * heading (a sub-section's "Fees" says little alone); the title alone for its opening.
 */
export function sectionLabel(p: Pick<RankedPassage, "title" | "heading">): string {
  const parts = p.heading.split(" › ").map((s) => s.trim());
  const own = parts.at(-1) ?? p.title;
  const label = parts.length > 1 && own !== p.title ? `${p.title}: ${own}` : p.title;
  return shorten(label);
}

function shorten(label: string): string {
  if (label.length <= MAX_LABEL) return label;
  const cut = label.slice(0, MAX_LABEL - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > MAX_LABEL / 2 ? cut.slice(0, space) : cut}…`;
}

/** The quick replies that offer the sections: tapping one sends its label back. */
export function suggestionReplies(suggestions: SectionSuggestion[]): QuickReply[] {
  return suggestions.map((s) => ({ label: s.label, text: s.label }));
}

/**
 * Which offered section a message picks: its label as sent by the tap (or typed), or
 * its number in the list the reply gave ("2", "第二个"). Null when the message is
 * something else: a new question.
 */
export function pickedSuggestion(text: string, offered: SectionSuggestion[]): SectionSuggestion | null {
  const i = chosenIndex(
    text,
    offered.map((s) => s.label),
  );
  return i === undefined ? null : offered[i]!;
}
