import fs from "node:fs/promises";
import path from "node:path";
import { Marked } from "marked";
import type { Express } from "express";
import type { AppContext } from "../context.ts";
import { parseArticle } from "./parseArticle.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Raw HTML inside Markdown is shown as text, and only ordinary link targets are kept:
// an article is content, never markup that runs.
const marked = new Marked({
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!/^(https?:|mailto:|tel:|\.{0,2}\/|[\w-]+(\.[\w-]+)*(\/|$))/i.test(href) || /^javascript:/i.test(href)) return label;
      const target = href.replace(/\.md(#|$)/, "$1");
      return `<a href="${escapeHtml(target)}">${label}</a>`;
    },
  },
});

/**
 * Citations link here: /kb/<path without .md> renders an indexed article as a plain
 * page, so a customer can read the whole source of an answer. Only paths that are
 * in the index are served (no file-system probing).
 */
export function articlePages(app: Express, ctx: AppContext) {
  app.get(/^\/kb\/([\w\-./]+)$/, async (req, res, next) => {
    try {
      const rel = `${(req.params as Record<string, string>)[0]}.md`;
      const { rows } = await ctx.db.query<{ path: string }>("SELECT path FROM kb_articles WHERE path = $1", [rel]);
      if (!rows[0] || rel.includes("..")) return next();
      const source = await fs.readFile(path.join(ctx.knowledge.dir, rows[0].path), "utf8");
      const article = parseArticle(source);
      const body = await marked.parse(article.body);
      res.type("html").send(`<!doctype html>
<html lang="${article.meta.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.meta.title)}</title>
<style>body{font:16px/1.6 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;max-width:760px;margin:0 auto;padding:32px 20px;color:#1c2430}
h1{color:#0b3d5c}table{border-collapse:collapse}td,th{border:1px solid #d9dee4;padding:6px 10px}a{color:#0b5c8a}.meta{color:#5b6572;font-size:14px}</style>
</head><body><p class="meta"><a href="/">Bayview Bank</a> · Help centre${article.meta.updated ? ` · updated ${escapeHtml(article.meta.updated)}` : ""}</p>
<h1>${escapeHtml(article.meta.title)}</h1>${body}</body></html>`);
    } catch (err) {
      next(err);
    }
  });
}
