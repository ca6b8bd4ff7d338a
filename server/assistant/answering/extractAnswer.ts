import type { Language } from "../language.ts";
import type { RankedPassage } from "./rankPassages.ts";
import { keepNamedColumns } from "./tableColumns.ts";
import { joinUnits, type Unit } from "./units.ts";

/** How much context follows the unit that answers, in characters (Chinese says as much in fewer). */
const CONTEXT_BUDGET: Record<Language, number> = { en: 420, zh: 160 };
/** A section this short (in characters) is quoted whole, the answering unit first. */
const SHORT_SECTION: Record<Language, number> = { en: 600, zh: 220 };
/** Other units that match the question, after the answering one and its context. */
const MORE_UNITS = 2;
/** A bullet list this short is quoted whole; a longer one around the answering item. */
const WHOLE_LIST = 7;
/** A table this short is quoted whole after the sentence that introduces it ("…a fixed fee each month:"). */
const WHOLE_TABLE = 12;
/** Table rows that match the question this nearly as well as the best one are shown with it. */
const ROW_SHARE = 0.75;
/** A sentence that opens like this leans on the one before it. */
const LEANS_BACK =
  /^(it|this|that|these|those|they|then|so|also|however|otherwise|in that case|if so)\b|^(这|那|它|此|该|但|否则|如果这样|因此|所以)/i;

/**
 * The reply's text from the chosen passage: it leads with the unit that carries the
 * answer — the matching table rows under their header, the whole list of steps, the
 * sentence with the figure — then the context a customer needs from the same
 * paragraph or list, in the passage's order and words (nothing invented). No fixed
 * introduction: the citation says where it comes from.
 */
export function extractAnswer(p: RankedPassage, language: Language, runnerUp?: RankedPassage, question?: string): string {
  const us = p.units;
  const lead = us[p.best];
  if (!lead) return p.text;
  let chosen = leadGroup(p, language);
  // The next best units of the passage follow, in its order: a question often needs two
  // facts from different sentences (the fee and its cap, the time and its cut-off).
  // A short section is one answer: the rest of it follows ("can it be recovered?" is answered
  // by the sentence on the payee's consent, which shares no word with the question).
  const short = us.reduce((n, u) => n + u.text.length, 0) <= SHORT_SECTION[language];
  const others = short
    ? us.filter((u) => !chosen.includes(u) && u.kind !== "row")
    : us
        .map((u, i) => ({ u, s: p.unitScores[i] ?? 0 }))
        .filter((x) => !chosen.includes(x.u) && x.u.kind !== "row" && x.s > 0)
        .sort((a, b) => b.s - a.s)
        .slice(0, MORE_UNITS)
        .flatMap((x) => withItsList(us, x.u));
  chosen = [...new Set([...chosen, ...others.sort((a, b) => us.indexOf(a) - us.indexOf(b))])];
  // The passage's opening usually states its point: it follows as context when there is
  // room (with the list it introduces, if it ends "You can:").
  const opening = us.find((u) => !u.scope) ?? us[0]!;
  const length = chosen.reduce((n, u) => n + u.text.length, 0);
  if (!chosen.includes(opening) && opening.kind === "prose" && length + opening.text.length <= 2 * CONTEXT_BUDGET[language]) {
    const list = /[:：]\s*$/.test(opening.text) ? us.filter((u) => u.block === opening.block + 1 && u.kind === "item") : [];
    chosen = [...chosen, opening, ...list.filter((u) => !chosen.includes(u)).slice(0, WHOLE_LIST)];
  }
  // A page's description of itself ("This article explains...") is never quoted as an answer's context.
  if (chosen.some((u) => !u.scope)) chosen = chosen.filter((u) => !u.scope);
  const answer = withQuestion(p, joinUnits(question ? keepNamedColumns(chosen, question) : chosen, language));
  // Another section of the same article that ranked nearly as well: its answering unit
  // follows (which of two sections answers is the ranker's most common doubt).
  if (!runnerUp || !runnerUp.units[runnerUp.best]) return answer;
  const more = leadGroup(runnerUp, language);
  return `${answer}\n\n${withQuestion(runnerUp, joinUnits(question ? keepNamedColumns(more, question) : more, language))}`;
}

/**
 * A unit quoted beside the answer, with the list it belongs to: a sentence that
 * introduces a list ("You will need:") brings the list, and an item of a short list
 * brings the rest of it and its introduction. Half a list reads as the whole of it
 * ("You will need: the payee's name" when the bank also needs the IBAN and SWIFT code).
 */
function withItsList(us: Unit[], u: Unit): Unit[] {
  const introduces = (x: Unit) => x.kind === "prose" && /[:：]\s*$/.test(x.text);
  if (introduces(u)) return [u, ...introducedBy(us, u)];
  if (u.kind !== "item") return [u];
  const list = us.filter((x) => x.block === u.block);
  if (list.length > WHOLE_LIST) return [u];
  const intro = us.filter((x) => x.block === u.block - 1 && x.kind === "prose").at(-1);
  return intro && introduces(intro) ? [intro, ...list] : list;
}

/**
 * The list or table that follows a sentence ending in a colon. A long one is left out
 * beside an answer (half of it reads as the whole), but a reply whose own paragraph
 * ends at the colon (`head`) gets a long list's first items rather than nothing.
 */
function introducedBy(us: Unit[], u: Unit, long: "none" | "head" = "none"): Unit[] {
  const next = us.filter((x) => x.block === u.block + 1);
  if (next[0]?.kind === "item") {
    const items = next.filter((x) => x.kind === "item");
    return items.length <= WHOLE_LIST ? items : long === "head" ? items.slice(0, WHOLE_LIST) : [];
  }
  if (next[0]?.kind === "row") return next.length <= WHOLE_TABLE ? next.filter((x) => x.kind === "row") : [];
  return [];
}

/** A bare "Yes." / "可以。" opening an FAQ answer means nothing without the question. */
const BARE_YES_NO = /^(yes|no|可以|不可以|能|不能|是的?|不是|会|不会|需要|不需要|有|没有)[。.!！,，]/i;

/**
 * An FAQ section answers its heading's question ("漏存一个月还能补吗？" → "可以。…"):
 * a reply that opens with a bare yes or no says which question it answers first.
 */
function withQuestion(p: RankedPassage, text: string): string {
  if (!BARE_YES_NO.test(text)) return text;
  const question = p.heading.split(" › ").at(-1)!;
  return question === p.title ? text : `**${question}** ${text}`;
}

/** The unit that answers with what it needs around it: its table's header and matching rows, its whole list of steps, or its sentence and the paragraph's context. */
function leadGroup(p: RankedPassage, language: Language): Unit[] {
  const us = p.units;
  const lead = us[p.best]!;
  const block = us.filter((u) => u.block === lead.block);
  let chosen: Unit[];
  if (lead.kind === "row") {
    const score = (u: Unit) => p.unitScores[us.indexOf(u)] ?? 0;
    const best = score(lead);
    chosen = block.filter((u) => u === lead || score(u) >= best * ROW_SHARE);
    // A table is read under the sentence that introduces it.
    const intro = us.filter((u) => u.block === lead.block - 1 && u.kind === "prose").at(-1);
    if (intro && /[:：]\s*$/.test(intro.text)) chosen = [intro, ...chosen];
  } else if (lead.kind === "item") {
    const i = block.indexOf(lead);
    chosen = block.length <= WHOLE_LIST || lead.ordered ? block : block.slice(Math.max(0, i - 1), i + 3);
    // A list is read under the sentence that introduces it ("To freeze your card:").
    const intro = us.filter((u) => u.block === lead.block - 1 && u.kind === "prose").at(-1);
    if (intro && /[:：]\s*$/.test(intro.text) && !chosen.includes(intro)) chosen = [intro, ...chosen];
  } else {
    const i = block.indexOf(lead);
    const start = i > 0 && LEANS_BACK.test(lead.text) ? i - 1 : i;
    chosen = block.slice(start, i + 1);
    let used = chosen.reduce((n, u) => n + u.text.length, 0);
    for (const u of block.slice(i + 1)) {
      if (used + u.text.length > CONTEXT_BUDGET[language] + lead.text.length) break;
      chosen.push(u);
      used += u.text.length;
    }
    // A short paragraph that ends introducing a list or a table ("You can:", "按原始本金收取固定的每期手续费：")
    // brings it: the figures are in the table, and a reply that stops at the colon has none.
    if (/[:：]\s*$/.test(chosen.at(-1)!.text)) chosen.push(...introducedBy(us, chosen.at(-1)!, "head"));
  }
  return chosen.some((u) => !u.scope) ? chosen.filter((u) => !u.scope) : chosen;
}
