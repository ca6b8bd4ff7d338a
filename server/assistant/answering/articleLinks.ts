import path from "node:path";

const LINK = /\[([^\]]+)\]\(([^)\s]+)\)/g;

/**
 * Articles link to each other by relative path ("../digital/mobile-banking-login.md").
 * Quoted in a reply those paths lead nowhere: a link to another article becomes its
 * public address (`url`), one to an outside page stays as it is.
 */
export function resolveArticleLinks(text: string, fromPath: string, url: (articlePath: string) => string): string {
  return text.replace(LINK, (whole, label: string, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/") || target.startsWith("#")) return whole;
    const [file, anchor] = target.split("#");
    if (!file?.endsWith(".md")) return whole;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), file));
    if (resolved.startsWith("..")) return label;
    return `[${label}](${url(resolved)}${anchor ? `#${anchor}` : ""})`;
  });
}

/** Links as their words alone (the evaluation compares a reply with its source passage by their words). */
export function linksAsText(text: string): string {
  return text.replace(LINK, (_, label: string) => label);
}
