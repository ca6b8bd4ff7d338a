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
}

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
      if (u) out.push({ text: u, kind: "prose", block: b });
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
