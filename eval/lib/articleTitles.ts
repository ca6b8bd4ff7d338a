import fs from "node:fs";
import path from "node:path";
import { parseArticle } from "../../server/knowledge/parseArticle.ts";
import { ROOT } from "./data.ts";

/** Each demo article's title, by its path under knowledge/ (as answer sets name sources). */
export function articleTitles(dir = path.join(ROOT, "knowledge")): Map<string, string> {
  const titles = new Map<string, string>();
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".md")) continue;
    const { meta } = parseArticle(fs.readFileSync(path.join(dir, file), "utf8"));
    titles.set(file.split(path.sep).join("/"), meta.title);
  }
  return titles;
}
