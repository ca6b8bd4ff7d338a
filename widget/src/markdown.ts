import { Marked } from "marked";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const md = new Marked({ gfm: true, breaks: true, async: false });
md.use({
  renderer: {
    // Raw HTML in a message is shown as the text it is, never interpreted.
    html: ({ text }) => escapeHtml(text),
    // No remote images in a bank chat (tracking pixels): show them as links.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const ALLOWED_TAGS = [
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "del",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "strong",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
];

const ALLOWED = new Set(ALLOWED_TAGS);
const DROP = /^(script|style|template|noscript|iframe|object|embed|svg|math|textarea|select|button|form|input)$/;

/**
 * Copies the parsed tree into fresh elements of our own: allowed tags only, no
 * attribute but a checked `href` (http, https, mailto, tel) and `title`, text as
 * text. Elements that are not allowed give their text; active ones give nothing.
 */
function copy(from: Node, to: Node): void {
  for (const n of Array.from(from.childNodes)) {
    if (n.nodeType === 3) to.appendChild(document.createTextNode(n.nodeValue || ""));
    if (n.nodeType !== 1) continue;
    const src = n as Element;
    const tag = src.localName;
    if (DROP.test(tag)) continue;
    if (!ALLOWED.has(tag)) {
      copy(src, to);
      continue;
    }
    const el = document.createElement(tag);
    const title = src.getAttribute("title");
    if (title) el.setAttribute("title", title);
    if (tag === "a") {
      const href = linkUrl(src.getAttribute("href"));
      if (href) el.setAttribute("href", href);
      el.setAttribute("target", "_blank");
      el.setAttribute("rel", "noopener noreferrer");
    }
    copy(src, el);
    to.appendChild(el);
  }
}

function linkUrl(url: string | null): string | undefined {
  if (url && /^(mailto|tel):/i.test(url.trim())) return url.trim();
  return safeUrl(url ?? undefined, location.href);
}

/**
 * Markdown → DOM: marked renders (raw HTML escaped), the browser parses the result
 * into an inert document (no scripts run, nothing loads), and `copy` rebuilds only
 * harmless elements from it.
 */
export function renderMarkdown(source: string): DocumentFragment {
  const html = md.parse(source ?? "") as string;
  const doc = new DOMParser().parseFromString(html, "text/html");
  const out = document.createDocumentFragment();
  copy(doc.body, out);
  return out;
}

/** Only http(s) and same-site links, never javascript: or data:. */
export function safeUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, base);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}
