/**
 * How answers point at articles and sections (an intent's `answer:`
 * `cards/lost-or-stolen-card.md#step-1-freeze-the-card-now`): used by ranking and by `kb lint`.
 */

/** An article path without its locale suffix: a pointer at `x.md` covers `x.zh-CN.md` too. */
export function articleStem(path: string): string {
  return path.replace(/\.(zh-CN|zh-TW|en)\.md$/i, ".md");
}

/** A heading's anchor as Markdown renderers make it: lower case, punctuation dropped, spaces to dashes. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

