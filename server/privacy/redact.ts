/**
 * Masks personal data before text is logged or sent to a model. The original stays
 * only in the message store. Card numbers are Luhn-checked so that ordinary long
 * numbers (amounts, references) are not mistaken for cards; Chinese resident ID
 * numbers are checked with their ISO 7064 check digit.
 */

export type RedactionKind = "card" | "cn_id" | "account" | "phone" | "email";

export interface Redaction {
  text: string;
  found: RedactionKind[];
}

/**
 * An address, its domain's dots also written as a Chinese full stop (。, ｡: what a Chinese input
 * method types for "."), and with a space either side of the @ ("jo @ example.com").
 */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:[.\u3002\uFF61][A-Za-z0-9-]+)*[.\u3002\uFF61][A-Za-z]{2,}/g;
/**
 * What people put between groups of digits: spaces (double ones too), line breaks,
 * dots, underscores, slashes, tildes, middle dots and dashes of every kind, with a space
 * either side ("4111 - 1111 - 1111 - 1111"). A hostile tester got card numbers written
 * "4111.1111.1111.1111" or "4111—1111—1111—1111" past the masking, and the audit after it
 * "4111 - 1111 - 1111 - 1111" and "138 - 1234 - 5678".
 */
const SEP = String.raw`(?:\s{1,2}|\s?[._/\\\-\u2010-\u2015\u2212~·•]\s?)`;
// 12–23 digits in groups (card- or account-like).
const DIGIT_RUN = new RegExp(String.raw`(?<![\d])(?:\d${SEP}?){11,22}\d(?![\d])`, "g");
const CN_ID = new RegExp(String.raw`(?<![\dA-Za-z])\d(?:${SEP}?\d){16}${SEP}?[\dXx](?![\dA-Za-z])`, "g");
const PHONE = new RegExp(
  // A mainland mobile may have a separator between any two digits ("1 3 8 1 2 3 4 5 6 7 8").
  String.raw`(?<![\d])(?:\+?86${SEP}?)?1${SEP}?[3-9](?:${SEP}?\d){9}(?![\d])|(?<![\d])\+\d{1,3}${SEP}?\d{2,4}${SEP}?\d{3,4}${SEP}?\d{3,4}(?![\d])`,
  "g",
);

/**
 * Digits, letters and the symbols of addresses written in other forms, as ASCII, so that
 * "４１１１ …", "𝟒𝟏𝟏𝟏 …", "٤١١١ …" and "jo﹫example.com" are matched like their ASCII
 * forms; format characters (zero-width space, soft hyphen, word joiner) beside a digit go.
 * A character is folded when its NFKC form is one ASCII letter, digit or address symbol
 * (full-width forms, mathematical and superscript digits, circled digits, the small ﹫ and
 * ﹣), and any other decimal digit (Arabic-Indic, Devanagari…) by its value; the ideographic
 * space becomes a space. Other text, Chinese punctuation included, is kept as written.
 */
function foldForMatching(text: string): string {
  return text
    .replace(/[^\p{ASCII}]/gu, (c) => {
      if (c === "\u3000") return " ";
      const n = c.normalize("NFKC");
      if (/^[0-9A-Za-z@.\-_/+]$/.test(n)) return n;
      if (/^\p{Nd}$/u.test(c)) return String(digitValue(c));
      return c;
    })
    .replace(/(?<=\d)\p{Cf}+|\p{Cf}+(?=\d)/gu, "");
}

/**
 * The value of a decimal digit of any script: Unicode encodes every set of decimal
 * digits as a contiguous run from 0 to 9 (its stability policy), some runs back to back
 * (the mathematical digits are five sets in one run), so the value is the distance from
 * the run's start, modulo 10.
 */
function digitValue(c: string): number {
  const cp = c.codePointAt(0)!;
  let start = cp;
  while (start > 0 && /^\p{Nd}$/u.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

export function chineseIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
}

function maskDigits(raw: string, keepLast: number, label: string): string {
  const digits = raw.replace(/\D/g, "");
  return `[${label} ****${digits.slice(-keepLast)}]`;
}

/**
 * Our own identifiers, kept whole: a UUID (8-4-4-4-12 hex) or a hex digest of the
 * standard lengths (32, 40, 64). Their digit runs looked like account numbers and
 * phone numbers to the patterns below: 3.4 % of random UUIDs came out mangled
 * ("…-9f[account ****6061]b0"), in every log line, failed job and webhook that
 * carried one (the failed job of a random message was then not found by its id).
 */
const IDENTIFIER =
  /(?<![\dA-Za-z])(?:[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|[\da-f]{64}|[\da-f]{40}|[\da-f]{32})(?![\dA-Za-z])/gi;

export function redactText(input: string): Redaction {
  const found = new Set<RedactionKind>();
  const folded = foldForMatching(input);
  let text = "";
  let from = 0;
  for (const id of folded.matchAll(IDENTIFIER)) {
    text += redactPersonalData(folded.slice(from, id.index), found) + id[0];
    from = id.index + id[0].length;
  }
  text += redactPersonalData(folded.slice(from), found);
  return { text, found: [...found] };
}

function redactPersonalData(input: string, found: Set<RedactionKind>): string {
  let text = input.replace(EMAIL, () => {
    found.add("email");
    return "[email]";
  });
  text = text.replace(CN_ID, (m) => {
    if (!chineseIdValid(m.replace(/[^\dXx]/g, ""))) return m;
    found.add("cn_id");
    return "[ID number]";
  });
  text = text.replace(PHONE, () => {
    found.add("phone");
    return "[phone]";
  });
  text = text.replace(DIGIT_RUN, (m) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
      found.add("card");
      return maskDigits(m, 4, "card");
    }
    if (digits.length >= 10) {
      found.add("account");
      return maskDigits(m, 4, "account");
    }
    return m;
  });
  return text;
}

/**
 * Every string in a JSON-like value, redacted: for records kept outside the
 * message store whose shape is not ours to know (a failed job's data).
 */
export function redactStrings<T>(value: T, depth = 0): T {
  if (typeof value === "string") return redactText(value).text as T;
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, depth + 1)) as T;
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, depth + 1)])) as T;
}
