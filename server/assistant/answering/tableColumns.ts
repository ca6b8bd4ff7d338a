import { tokenize } from "../../knowledge/text.ts";
import type { Unit } from "./units.ts";

/**
 * A table that compares things of one kind side by side (| | Classic | Platinum |), quoted for a
 * question that names one of them ("annual fee on the platinum card?"), keeps its first
 * column and the columns named: the other product's figure beside the one asked about
 * is the wrong answer a customer may read. Cells are quoted as written.
 */
export function keepNamedColumns(chosen: Unit[], question: string): Unit[] {
  const asked = new Set(tokenize(question));
  const byHeader = new Map<string, number[] | null>();
  return chosen.map((u) => {
    if (u.kind !== "row" || !u.header) return u;
    if (!byHeader.has(u.header)) byHeader.set(u.header, namedColumns(u.header, asked));
    const keep = byHeader.get(u.header);
    if (!keep) return u;
    const [head, separator] = u.header.split("\n");
    return {
      ...u,
      header: [head, separator]
        .filter((l): l is string => l !== undefined)
        .map((l) => row(cells(l), keep))
        .join("\n"),
      text: row(cells(u.text), keep),
    };
  });
}

/** The columns to keep (the first and those named), or null to keep the table whole. */
function namedColumns(header: string, asked: Set<string>): number[] | null {
  const names = cells(header.split("\n")[0]!);
  // Two columns (a label and its value) have nothing to choose between.
  if (names.length < 3) return null;
  const all = names.map((n) => new Set(tokenize(n)));
  // Columns of one kind of thing share a word (Bayview Classic, Bayview Platinum; 经典卡, 白金卡);
  // columns of different attributes (默认限额, 能否调整; Route, Arrival) are all wanted.
  const values = all.slice(1);
  const alike = values.every((t, j) => values.some((other, k) => k !== j && [...t].some((w) => other.has(w))));
  if (!alike) return null;
  const tokens = all.map((t) => new Set([...t].filter(distinctive)));
  const named: number[] = [];
  for (let j = 1; j < names.length; j++) {
    // A word only this column's heading has ("platinum", "白金"), not one all share ("Bayview").
    const own = [...tokens[j]!].filter((t) => !tokens.some((other, k) => k !== j && k > 0 && other.has(t)));
    if (own.some((t) => asked.has(t))) named.push(j);
  }
  if (!named.length || named.length === names.length - 1) return null;
  return [0, ...named];
}

/** A single Chinese character names nothing reliably (金 of 白金 is also 现金's). */
function distinctive(token: string): boolean {
  return !/^\p{Script=Han}$/u.test(token);
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|");
}

function row(cs: string[], keep: number[]): string {
  return `|${keep.map((j) => cs[j] ?? "").join("|")}|`;
}
