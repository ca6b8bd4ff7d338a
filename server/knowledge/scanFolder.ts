import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

export const MAX_ARTICLE_BYTES = 1024 * 1024;

export interface ScannedFile {
  /** Relative to the knowledge folder, forward slashes. */
  path: string;
  absPath: string;
  content: string;
  hash: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

/**
 * Lists the Markdown articles under a folder (intent definitions and hidden folders
 * excluded) and reads them, refusing what is not an article: files over 1 MB,
 * binary files and text that is not UTF-8. A refused file never stops the rest.
 */
export function scanFolder(root: string): { files: ScannedFile[]; skipped: SkippedFile[] } {
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  if (!fs.existsSync(root)) throw new Error(`knowledge folder not found: ${root}`);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join("/");
      if (e.isDirectory()) {
        if (rel === "intents") continue;
        walk(abs);
        continue;
      }
      if (!e.isFile() || !/\.(md|markdown)$/i.test(e.name)) continue;
      const size = fs.statSync(abs).size;
      if (size > MAX_ARTICLE_BYTES) {
        skipped.push({ path: rel, reason: `too large (${(size / 1024 / 1024).toFixed(1)} MB; the limit is 1 MB)` });
        continue;
      }
      const buf = fs.readFileSync(abs);
      if (buf.includes(0)) {
        skipped.push({ path: rel, reason: "binary file (contains NUL bytes)" });
        continue;
      }
      let content: string;
      try {
        content = new TextDecoder("utf-8", { fatal: true }).decode(buf);
      } catch {
        skipped.push({ path: rel, reason: "not valid UTF-8 text" });
        continue;
      }
      files.push({ path: rel, absPath: abs, content, hash: crypto.createHash("sha256").update(buf).digest("hex") });
    }
  };
  walk(root);
  return { files, skipped };
}
