/**
 * A choice the assistant offers as a numbered list (the bank's tools a message fitted,
 * the sections of the guide closest to a declined question): every channel shows the
 * text, only the widget shows buttons, so the customer may answer with a number.
 */

/** Chinese ordinals a customer may answer a numbered choice with ("第二个"). */
const ZH_ORDINAL: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** "2", "2.", "#2", "option 2", "no. 2", "第2个", "第二项", "2号": the number of one of a numbered list's options. */
const OPTION_NUMBER = /^(?:#|option|number|no\.?|第)?\s*([1-9]|[一二两三四五六七八九])\s*(?:[.。、)）]|个|項|项|号|號)?$/;

/** The option a customer picked by its number in a list offered to them (1-based), if their message is one. */
export function optionNumber(message: string): number | undefined {
  const m = OPTION_NUMBER.exec(message.normalize("NFKC").trim().toLowerCase());
  if (!m) return undefined;
  return ZH_ORDINAL[m[1]!] ?? Number(m[1]);
}

/** The options as the customer reads them on any channel: each label, numbered. */
export function numberedList(labels: string[]): string {
  return labels.map((label, i) => `${i + 1}. ${label}`).join("\n");
}

/**
 * Which of the options (in the order offered) a message picks: its label as a tap sends
 * it back (or as typed, case and spacing aside), or its number in the list. Undefined
 * when the message is something else.
 */
export function chosenIndex(message: string, labels: string[]): number | undefined {
  const said = fold(message);
  const byLabel = labels.findIndex((label) => fold(label) === said);
  if (byLabel >= 0) return byLabel;
  const n = optionNumber(message);
  return n !== undefined && n <= labels.length ? n - 1 : undefined;
}

function fold(text: string): string {
  return text.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}
