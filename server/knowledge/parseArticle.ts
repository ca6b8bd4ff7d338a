import { z } from "zod";
import { headingSlug } from "./articlePaths.ts";
import { onDemand } from "../onDemand.ts";

// yaml (~8 MB of idle RSS, imported alone here) is loaded with the first article parsed: a
// worker's sync or an article page, not in every web process at start. The result is plain
// data, so nothing depends on which copy of the library (its CommonJS or ES build) made it.
const yamlLibrary = onDemand<typeof import("yaml")>("yaml");

export const LOCALES = ["en", "zh-CN", "zh-TW"] as const;

const sampleQuestion = z.string().trim().min(1).max(300);

export const frontMatterSchema = z.object({
  title: z.string().trim().min(1, "title is required"),
  tags: z.array(z.string().min(1)).default([]),
  locale: z.enum(LOCALES).default("en"),
  audience: z.string().min(1).optional(),
  product: z.string().min(1).optional(),
  /**
   * Customers' own wordings of what the article answers, for ranking: a list for the
   * article as a whole (they count like its title), or lists by section anchor
   * (`step-1-freeze-the-card-now:`; the title's anchor names the opening), matched
   * against the customer's question to find the section that answers it.
   */
  questions: z
    .union([
      z.array(sampleQuestion).max(50),
      z.record(z.string().min(1), z.array(sampleQuestion).max(20)).refine((m) => Object.keys(m).length <= 200, "at most 200 sections"),
    ])
    .default([]),
  // YAML turns 2026-10-15 into a Date; accept both.
  updated: z
    .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "updated must be YYYY-MM-DD")])
    .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
    .optional(),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Passage {
  ordinal: number;
  /** "Title › Section › Subsection" */
  heading: string;
  text: string;
  /** 1-based line of the section's heading in the file. */
  line: number;
  /** The content team's sample questions for this passage's section (front matter `questions:` by anchor). */
  questions: string[];
}

export interface ParsedArticle {
  meta: FrontMatter;
  body: string;
  passages: Passage[];
  /** Line where the body starts (after front matter), for messages. */
  bodyLine: number;
  /** Article-wide sample questions (front matter `questions:` as a list). */
  questions: string[];
  /** Anchors of `questions:` that name no section of the article (`kb lint` reports them). */
  unknownQuestionAnchors: string[];
}

export class ArticleError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const MAX_PASSAGE_CHARS = 1200;

/**
 * Parses a Markdown article: validated front matter, then passages split at
 * headings (## and ###) with the heading path kept, so an answer can cite "Lost or
 * stolen card › Freezing your card". Long sections are split further at paragraphs.
 */
export function parseArticle(source: string): ParsedArticle {
  const { data, content, bodyLine } = splitFrontMatter(source);
  const meta = frontMatterSchema.safeParse(data);
  if (!meta.success) {
    const i = meta.error.issues[0]!;
    throw new ArticleError(`bad front matter: ${i.path.join(".") || "front matter"}: ${i.message}`, 1);
  }
  const passages = splitPassages(meta.data.title, content, bodyLine);
  if (passages.length === 0) throw new ArticleError("the article has no text", bodyLine);
  const asked = meta.data.questions;
  if (Array.isArray(asked)) return { meta: meta.data, body: content, passages, bodyLine, questions: asked, unknownQuestionAnchors: [] };
  const placed = new Set<string>();
  for (const p of passages) {
    const anchor = sectionAnchor(p);
    p.questions = asked[anchor] ?? [];
    if (asked[anchor]) placed.add(anchor);
  }
  const unknownQuestionAnchors = Object.keys(asked).filter((a) => !placed.has(a));
  return { meta: meta.data, body: content, passages, bodyLine, questions: [], unknownQuestionAnchors };
}

/** A passage's section anchor: its own heading's, or the title's for the article's opening. */
export function sectionAnchor(p: Pick<Passage, "heading">): string {
  return headingSlug(p.heading.split(" › ").at(-1)!);
}

/**
 * Front matter is YAML between two `---` lines, parsed as data and nothing else.
 * gray-matter, used before, also ran `---js` front matter as JavaScript: anyone who
 * could write to the knowledge folder ran code in the server on the next sync.
 * An opening fence naming another language is an error, never evaluated.
 */
function splitFrontMatter(source: string): { data: unknown; content: string; bodyLine: number } {
  const text = source.replace(/^\uFEFF/, "");
  const open = /^---([^\r\n]*)\r?\n/.exec(text);
  if (!open) return { data: {}, content: text, bodyLine: 1 };
  const language = open[1]!.trim();
  if (language && language.toLowerCase() !== "yaml") {
    throw new ArticleError(`bad front matter: only YAML front matter is allowed (found "---${language}")`, 1);
  }
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(open[0].length);
  const end = close.exec(rest);
  if (!end) throw new ArticleError("bad front matter: no closing --- line", 1);
  const yaml = rest.slice(0, end.index);
  // The core schema knows no custom tags (no !!js/function and the like) and no timestamps.
  const doc = yamlLibrary().parseDocument(yaml, { schema: "core", uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line ?? 0;
    throw new ArticleError(`bad front matter: ${problem.message.split("\n")[0]}`, line + 1);
  }
  const content = rest.slice(end.index + end[0].length);
  const bodyLine = text.slice(0, text.length - content.length).split("\n").length;
  return { data: doc.toJS({ maxAliasCount: 10 }) ?? {}, content, bodyLine };
}

function splitPassages(title: string, body: string, firstLine: number): Passage[] {
  const lines = body.split("\n");
  const sections: Array<{ path: string[]; line: number; lines: string[] }> = [];
  let path: string[] = [];
  let current = { path: [] as string[], line: firstLine, lines: [] as string[] };
  let inFence = false;
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    const h = !inFence && /^(#{1,4})\s+(.+?)\s*#*\s*$/.exec(l);
    if (h) {
      sections.push(current);
      const level = h[1]!.length;
      const text = h[2]!;
      if (level === 1) path = [];
      else path = [...path.slice(0, Math.max(0, level - 2)), text];
      current = { path, line: firstLine + i, lines: [] };
    } else {
      current.lines.push(l);
    }
  });
  sections.push(current);

  const out: Passage[] = [];
  for (const s of sections) {
    const text = s.lines.join("\n").trim();
    if (!text) continue;
    const heading = [title, ...s.path].join(" › ");
    for (const chunk of chunk_(text)) out.push({ ordinal: out.length, heading, text: chunk, line: s.line, questions: [] });
  }
  return out;
}

function chunk_(text: string): string[] {
  if (text.length <= MAX_PASSAGE_CHARS) return [text];
  const paras = text.split(/\n\s*\n/);
  const out: string[] = [];
  let cur = "";
  for (const p of paras) {
    if (cur && cur.length + p.length + 2 > MAX_PASSAGE_CHARS) {
      out.push(cur);
      cur = "";
    }
    cur = cur ? `${cur}\n\n${p}` : p;
  }
  if (cur) out.push(cur);
  return out;
}

/** Text used for embedding and lexical ranking: the heading path gives context. */
export function passageIndexText(p: Pick<Passage, "heading" | "text">): string {
  return `${p.heading}\n${p.text}`;
}
