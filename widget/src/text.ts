/** Text checks and conversions the widget makes on what customers type and what it shows. */

/** Han characters: an inbox greeting without any gives way to the default one for a Chinese-speaking customer. */
export const CJK = /[\u3400-\u9fff]/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The "talk to a person" quick reply, which the widget offers in its own place. */
export const HUMAN = /^\s*(talk to a person|转人工|轉人工)\s*$/i;

/** Markdown as plain text on one line: for the preview of a message beside the closed launcher. */
export const plain = (md: string) =>
  md
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`#>~|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
