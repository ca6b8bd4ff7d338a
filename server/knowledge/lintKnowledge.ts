import fs from "node:fs";
import path from "node:path";
import { ArticleError, parseArticle, sectionAnchor } from "./parseArticle.ts";
import { scanFolder } from "./scanFolder.ts";
import { parse as parseYaml } from "yaml";
import { IntentDefSchema } from "../assistant/intents/load.ts";
import { articleStem } from "./articlePaths.ts";

export interface LintProblem {
  path: string;
  line: number;
  message: string;
}

const LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
/** "[time]", "[name]", "【金额】": a template's blank left in the text; the bot would quote it to a customer as is. */
const PLACEHOLDER = /\[(?:[a-z][a-z _-]{1,30}|[\u4e00-\u9fff]{1,8})\](?!\(|:)|【[\u4e00-\u9fff]{1,8}】|\{\{[^}]{1,40}\}\}/;

/**
 * Checks a knowledge folder the way a content team needs: front matter, empty
 * articles, broken relative links, duplicate titles in one locale, files that
 * cannot be read. Every problem names the file and line.
 */
export function lintKnowledge(dir: string, intentsDir = path.join(dir, "intents")): { problems: LintProblem[]; articles: number } {
  const { files, skipped } = scanFolder(dir);
  const problems: LintProblem[] = skipped.map((s) => ({ path: s.path, line: 1, message: s.reason }));
  const titles = new Map<string, string>();
  /** Section anchors of each article (by path without locale), for intents' `answer:` pointers. */
  const anchors = new Map<string, Set<string>>();
  let articles = 0;
  for (const f of files) {
    let parsed;
    try {
      parsed = parseArticle(f.content);
      articles++;
    } catch (err) {
      problems.push({ path: f.path, line: err instanceof ArticleError ? err.line : 1, message: (err as Error).message });
      continue;
    }
    // Sections as the passages have them (a heading with no text under it answers nothing).
    const own = new Set(parsed.passages.map(sectionAnchor));
    for (const anchor of parsed.unknownQuestionAnchors) {
      problems.push({ path: f.path, line: 1, message: `questions: the article has no section #${anchor}` });
    }
    anchors.set(f.path, own);
    const stem = articleStem(f.path);
    if (!anchors.has(stem)) anchors.set(stem, new Set());
    const key = `${parsed.meta.locale}\u0000${parsed.meta.title.toLowerCase()}`;
    const first = titles.get(key);
    if (first) problems.push({ path: f.path, line: 2, message: `duplicate title "${parsed.meta.title}" (also in ${first})` });
    else titles.set(key, f.path);

    let fenced = false;
    f.content.split("\n").forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      const blank = !fenced && i + 1 >= parsed.bodyLine ? PLACEHOLDER.exec(line.replace(LINK, "")) : null;
      if (blank) problems.push({ path: f.path, line: i + 1, message: `template placeholder ${blank[0]} left in the text` });
      for (const m of line.matchAll(LINK)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#") || target.startsWith("/")) continue;
        const file = decodeURI(target.split("#")[0]!);
        if (!file) continue;
        const resolved = path.resolve(path.dirname(f.absPath), file);
        if (!fs.existsSync(resolved)) problems.push({ path: f.path, line: i + 1, message: `broken link: ${target}` });
      }
    });
  }
  problems.push(...lintIntentPointers(dir, intentsDir, anchors));
  problems.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { problems, articles };
}

/** Intents' `answer:` pointers must name an article of the folder and, after `#`, one of its sections. */
function lintIntentPointers(dir: string, intentsDir: string, anchors: Map<string, Set<string>>): LintProblem[] {
  if (!fs.existsSync(intentsDir)) return [];
  const out: LintProblem[] = [];
  const rel = (file: string) => path.relative(dir, path.join(intentsDir, file)).split(path.sep).join("/");
  for (const file of fs.readdirSync(intentsDir).filter((f) => /\.ya?ml$/i.test(f))) {
    const source = fs.readFileSync(path.join(intentsDir, file), "utf8");
    let def;
    try {
      def = IntentDefSchema.safeParse(parseYaml(source));
    } catch {
      continue; // the intent loader reports unreadable files
    }
    if (!def.success) continue;
    for (const pointer of def.data.answer) {
      const line = source.split("\n").findIndex((l) => l.includes(pointer)) + 1 || 1;
      const [article, anchor] = pointer.split("#");
      const sections = anchors.get(article!);
      if (!sections) out.push({ path: rel(file), line, message: `answer: no article ${article}` });
      else if (anchor && !sections.has(anchor)) out.push({ path: rel(file), line, message: `answer: ${article} has no section #${anchor}` });
    }
  }
  return out;
}
