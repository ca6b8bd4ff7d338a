import { parseDocument, type Document } from "yaml";

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * An article with its front matter changed by `edit` and everything else as it
 * was: the YAML is edited as a document (other keys, their order and comments
 * kept), never re-serialised from data. An article without front matter is
 * returned as it is (it has no title either: `kb lint` reports it).
 */
export function editFrontMatter(source: string, edit: (doc: Document) => void): string {
  const bom = source.startsWith("\uFEFF") ? "\uFEFF" : "";
  const text = source.slice(bom.length);
  const fence = FRONT_MATTER.exec(text);
  if (!fence) return source;
  const doc = parseDocument(fence[1]!, { schema: "core" });
  edit(doc);
  return `${bom}---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd()}\n---\n${text.slice(fence[0].length)}`;
}
