/**
 * A passage as the pieces an answer can quote: prose sentences, list items and
 * table rows (each row with its table's header, since a row means nothing alone).
 * Each unit keeps its Markdown verbatim, and its block (paragraph, list or table),
 * so that an answer can take a whole list of steps or a table's matching rows.
 */
export interface Unit {
  text: string;
  kind: "prose" | "item" | "row";
  /** Paragraph, list or table this unit belongs to, in passage order. */
  block: number;
  /** A row's table header (header line and separator line). */
  header?: string;
  /** A numbered list item ("1." / "1)"): a step of a procedure. */
  ordered?: boolean;
  /**
   * A sentence that says what the page covers ("This article explains the fees, the
   * limits and...", "本文介绍…"): it names many topics and answers none of them.
   */
  scope?: boolean;
}

/** How a page's own table of contents in prose opens (English and Chinese, either script). */
const SCOPE_SENTENCE =
  /^(this|the following|in this) (article|page|guide|section|faq|document)\b|^(below|here) (you('ll| will) find|we (explain|list|describe))\b|^(本文|本页|本頁|本篇|本节|本節|下文|以下)(介绍|介紹|说明|說明|列出|汇总|彙總|对比|對比|讲解|講解|解答|帮助|幫助|将|將)/i;

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;
const TABLE_LINE = /^\s*\|/;
const TABLE_SEPARATOR = /^\s*\|?[\s:|-]*-[\s:|-]*$/;

export function units(text: string): Unit[] {
  const out: Unit[] = [];
  text.split(/\n\s*\n/).forEach((block, b) => {
    const lines = block.split("\n").filter((l) => l.trim());
    if (!lines.length) return;
    if (lines.every((l) => TABLE_LINE.test(l))) {
      const sep = lines.findIndex((l) => TABLE_SEPARATOR.test(l));
      const headerEnd = sep >= 0 ? sep + 1 : 1;
      const header = lines.slice(0, headerEnd).join("\n");
      for (const row of lines.slice(headerEnd)) out.push({ text: row.trim(), kind: "row", block: b, header });
      return;
    }
    if (lines.some((l) => LIST_ITEM.test(l))) {
      // In a list block every line stands on its own, bullet or not (a lead-in line included).
      for (const l of lines) out.push({ text: l.trim(), kind: "item", block: b, ordered: /^\s*\d+[.)]\s/.test(l) });
      return;
    }
    const prose = lines.join(" ");
    // A sentence ends at 。！？, or at . ! ? followed by a space (not inside "4.5%" or a link's "../x.md").
    for (const m of prose.matchAll(/.+?(?:[。！？；]+["”’)）]?|[.!?]+["”’)]?(?=\s|$)|$)/g)) {
      const u = m[0].trim();
      if (u) out.push({ text: u, kind: "prose", block: b, ...(SCOPE_SENTENCE.test(u) ? { scope: true } : {}) });
    }
  });
  return out;
}

/** Joins chosen units back into Markdown: prose flows, list items keep their lines, rows go under their header once. */
export function joinUnits(chosen: Unit[], language: "en" | "zh"): string {
  let out = "";
  let prev: Unit | undefined;
  for (const u of chosen) {
    const sameTable = prev?.kind === "row" && u.kind === "row" && prev.header === u.header;
    const text = u.kind === "row" && !sameTable ? `${u.header}\n${u.text}` : u.text;
    if (!prev) out = text;
    else if (sameTable) out += `\n${text}`;
    else if (u.kind === "prose" && prev.kind === "prose" && u.block === prev.block) out += (language === "zh" ? "" : " ") + text;
    else if (u.kind === "item" && prev.kind === "item" && u.block === prev.block) out += `\n${text}`;
    else out += `\n\n${text}`;
    prev = u;
  }
  return out;
}
