import { Lexer, type Token, type Tokens } from "marked";
import type { Language } from "../language.ts";

/** Words that join a table row's cells and a label to its value, in the reply's language. */
const JOINERS: Record<Language, { label: string; cells: string; lead: string }> = {
  en: { label: ": ", cells: "; ", lead: " — " },
  zh: { label: "：", cells: "；", lead: "——" },
};

/** A link target a customer can open from a chat or an e-mail (a relative path leads nowhere there). */
const OPENABLE = /^(https?:|mailto:|tel:)/i;

/**
 * Markdown as the plain text an agent sends from the reply box: no emphasis or
 * heading markers, a bulleted list as one line per item, a numbered list as
 * numbered lines, a table row as its cells under their headers ("Fee: ¥10"), a
 * link as its words with the address in brackets (an address the customer can
 * open; a relative one is left out). Blocks are separated by a blank line, but
 * for a list or table under the sentence that introduces it.
 * Read from marked's tokens (the parser the console and the article pages
 * render with), so the text means what the rendered Markdown shows.
 */
export function markdownToPlainText(markdown: string, language: Language): string {
  return joinBlocks(blocks(Lexer.lex(markdown, { gfm: true }), JOINERS[language]))
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}

/** Blocks apart by a blank line; a sentence that introduces what follows ("To freeze it:") stays on the line above it. */
function joinBlocks(texts: string[]): string {
  return texts.reduce((out, t, i) => (i === 0 ? t : `${out}${/[:：]$/.test(out) ? "\n" : "\n\n"}${t}`), "");
}

type Joiners = (typeof JOINERS)[Language];

function blocks(tokens: Token[], j: Joiners): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const text = block(t, j).trim();
    if (text) out.push(text);
  }
  return out;
}

function block(t: Token, j: Joiners): string {
  switch (t.type) {
    case "paragraph":
    case "heading":
      return inline((t as Tokens.Paragraph | Tokens.Heading).tokens);
    case "list":
      return list(t as Tokens.List, j);
    case "table":
      return table(t as Tokens.Table, j);
    case "blockquote":
      return joinBlocks(blocks((t as Tokens.Blockquote).tokens, j));
    case "code":
      return (t as Tokens.Code).text;
    case "html":
      return (t as Tokens.HTML).text;
    case "text": {
      const tt = t as Tokens.Text;
      return tt.tokens ? inline(tt.tokens) : tt.text;
    }
    default:
      // space, hr, def: nothing a reader sees as words.
      return "";
  }
}

/** One line per item: numbered from the list's own start when it is ordered (a quoted slice of steps keeps its numbers). */
function list(l: Tokens.List, j: Joiners): string {
  const start = typeof l.start === "number" ? l.start : 1;
  return l.items
    .map((item, i) => {
      const text = item.tokens
        .map((t) => block(t, j).trim())
        .filter(Boolean)
        .join("\n");
      return l.ordered ? `${start + i}. ${text}` : text;
    })
    .join("\n");
}

/**
 * A row as a line: two columns read "label: value"; more read "label — Header: value;
 * Header: value". The first column names the row in the knowledge base's tables
 * (the product, the fee, the level), so it leads.
 */
function table(t: Tokens.Table, j: Joiners): string {
  const headers = t.header.map((c) => inline(c.tokens).trim());
  return t.rows
    .map((row) => {
      const cells = row.map((c) => inline(c.tokens).trim());
      const [label = "", ...rest] = cells;
      const values = rest.map((v, i) => ({ header: headers[i + 1] ?? "", v })).filter((x) => x.v);
      if (!values.length) return label;
      if (cells.length === 2) return label ? `${label}${j.label}${values[0]!.v}` : values[0]!.v;
      const described = values.map((x) => (x.header ? `${x.header}${j.label}${x.v}` : x.v)).join(j.cells);
      return label ? `${label}${j.lead}${described}` : described;
    })
    .join("\n");
}

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? []).map(span).join("");
}

function span(t: Token): string {
  switch (t.type) {
    case "strong":
    case "em":
    case "del":
      return inline((t as Tokens.Strong).tokens);
    case "link": {
      const l = t as Tokens.Link;
      const words = inline(l.tokens).trim();
      if (!OPENABLE.test(l.href)) return words;
      const address = l.href.replace(/^(mailto|tel):/i, "");
      return !words || words === address || words === l.href ? address : `${words} (${address})`;
    }
    case "image":
      return (t as Tokens.Image).text;
    case "codespan":
      return (t as Tokens.Codespan).text;
    case "br":
      return "\n";
    case "html":
      // An inline tag (<b>, <br>): its words are the text tokens around it.
      return /^<br\s*\/?>$/i.test((t as Tokens.HTML).text) ? "\n" : "";
    case "text": {
      const tt = t as Tokens.Text;
      return tt.tokens ? inline(tt.tokens) : tt.text;
    }
    case "escape":
      return (t as Tokens.Escape).text;
    default:
      return "raw" in t ? String(t.raw) : "";
  }
}
