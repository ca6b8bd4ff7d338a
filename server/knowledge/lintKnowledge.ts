import fs from "node:fs";
import path from "node:path";
import { ArticleError, parseArticle } from "./parseArticle.ts";
import { scanFolder } from "./scanFolder.ts";

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
export function lintKnowledge(dir: string): { problems: LintProblem[]; articles: number } {
  const { files, skipped } = scanFolder(dir);
  const problems: LintProblem[] = skipped.map((s) => ({ path: s.path, line: 1, message: s.reason }));
  const titles = new Map<string, string>();
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
  problems.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { problems, articles };
}
