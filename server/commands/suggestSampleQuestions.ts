import fs from "node:fs";
import path from "node:path";
import { isMap, isSeq, type Document } from "yaml";
import { scanFolder } from "../knowledge/scanFolder.ts";
import { parseArticle, sectionAnchor } from "../knowledge/parseArticle.ts";
import { editFrontMatter } from "../knowledge/frontMatterEdit.ts";

/** One section of an article, for a writer of sample questions. */
export interface SectionToAsk {
  path: string;
  anchor: string;
  title: string;
  heading: string;
  text: string;
  locale: string;
}

/** Writes `count` sample questions for a section (a language model, in practice). */
export type QuestionWriter = (section: SectionToAsk, count: number) => Promise<string[]>;

export interface SuggestionResult {
  /** New questions by article and section anchor. */
  suggested: Array<{ path: string; anchor: string; questions: string[] }>;
  /** Sections the writer failed on (the rest go on). */
  failed: Array<{ path: string; anchor: string; error: string }>;
  /** Articles whose front matter was rewritten (with `apply`). */
  written: string[];
}

/** A section's text beyond this is not needed to know what it answers, and costs tokens. */
const MAX_SECTION_CHARS = 3000;

/**
 * Drafts sample questions (front matter `questions:` by section anchor) for a
 * knowledge folder: for each section that has none (or every section, with
 * `all`), asks the writer for `perSection` customer-style questions. With `apply`
 * they are added to the articles' front matter, every other line kept as it was;
 * without, nothing is written and the caller shows them for review. A list of
 * article-wide questions is left alone (its article is skipped).
 */
export async function suggestSampleQuestions(
  dir: string,
  write: QuestionWriter,
  opts: { perSection: number; all?: boolean; apply?: boolean; onProgress?: (done: number, total: number) => void },
): Promise<SuggestionResult> {
  const sections: SectionToAsk[] = [];
  for (const f of scanFolder(dir).files) {
    let article;
    try {
      article = parseArticle(f.content);
    } catch {
      continue; // `kb lint` names it; there is nothing to ask about.
    }
    if (Array.isArray(article.meta.questions) && article.meta.questions.length) continue;
    const bySection = new Map<string, SectionToAsk>();
    for (const p of article.passages) {
      if (!opts.all && p.questions.length) continue;
      const anchor = sectionAnchor(p);
      const s = bySection.get(anchor);
      if (s) s.text = `${s.text}\n\n${p.text}`.slice(0, MAX_SECTION_CHARS);
      else
        bySection.set(anchor, {
          path: f.path,
          anchor,
          title: article.meta.title,
          heading: p.heading,
          text: p.text.slice(0, MAX_SECTION_CHARS),
          locale: article.meta.locale,
        });
    }
    sections.push(...bySection.values());
  }

  const result: SuggestionResult = { suggested: [], failed: [], written: [] };
  let done = 0;
  opts.onProgress?.(0, sections.length);
  for (const s of sections) {
    try {
      const questions = [...new Set((await write(s, opts.perSection)).map((q) => q.trim()).filter(Boolean))];
      if (questions.length) result.suggested.push({ path: s.path, anchor: s.anchor, questions });
    } catch (err) {
      result.failed.push({ path: s.path, anchor: s.anchor, error: err instanceof Error ? err.message : String(err) });
    }
    opts.onProgress?.(++done, sections.length);
  }

  if (opts.apply) {
    const byPath = new Map<string, SuggestionResult["suggested"]>();
    for (const s of result.suggested) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
    for (const [file, list] of byPath) {
      const abs = path.join(dir, file);
      fs.writeFileSync(
        abs,
        editFrontMatter(fs.readFileSync(abs, "utf8"), (doc) => addQuestions(doc, list)),
      );
      result.written.push(file);
    }
  }
  return result;
}

/** Adds questions under their anchors in `questions:` (a map), after any already there. */
function addQuestions(doc: Document, list: Array<{ anchor: string; questions: string[] }>): void {
  if (!isMap(doc.get("questions"))) doc.set("questions", doc.createNode({}));
  for (const { anchor, questions } of list) {
    const existing = doc.getIn(["questions", anchor]);
    if (isSeq(existing)) for (const q of questions) existing.add(doc.createNode(q));
    else doc.setIn(["questions", anchor], doc.createNode(questions));
  }
}
