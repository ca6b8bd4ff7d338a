/**
 * Text normalisation and tokenisation shared by lexical ranking and the offline
 * embedder. English: lower-cased words, stop words dropped, a light suffix
 * stemmer. Chinese (no spaces between words): overlapping character bigrams plus
 * single characters, the standard segmentation-free approach for retrieval.
 */

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const TOKEN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:['’][a-z]+)?/g;

const STOP = new Set(
  "a an and are as at be been but by can could do does did for from had has have how i if in into is it its me my of on or our please so than that the their them then there these they this to us was we were what when where which who why will with would you your i'm im can't cant don't dont hi hello thanks thank".split(
    " ",
  ),
);
// Frequent Chinese function characters: alone they carry no topic.
const ZH_STOP = new Set("的了吗呢吧啊是我你他她它们在有和与就都也还要会能可以这那个么什怎请问".split(""));

/** NFKC folds full-width letters/digits and compatibility forms; lower-case for matching. */
export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/** A light English stemmer: enough to match plurals and common verb forms. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word.replace(/['’]s$/, "");
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  // transferr(ed) -> transfer, stopp(ed) -> stop
  if (w.length > 4 && w[w.length - 1] === w[w.length - 2] && !/[lsz]/.test(w[w.length - 1]!)) w = w.slice(0, -1);
  return w;
}

/** Tokens for lexical ranking. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(TOKEN)) {
    const t = m[0];
    if (HAN.test(t[0]!)) {
      for (let i = 0; i < t.length; i++) {
        const c = t[i]!;
        if (!ZH_STOP.has(c)) out.push(c);
        if (i + 1 < t.length) out.push(t.slice(i, i + 2));
      }
    } else if (!STOP.has(t)) {
      out.push(stem(t));
    }
  }
  return out;
}

/** Character n-grams (3–4 for Latin words, padded; 1–2 for Han): robust to typos. */
export function charNgrams(text: string): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(TOKEN)) {
    const t = m[0];
    if (HAN.test(t[0]!)) {
      for (let i = 0; i < t.length; i++) {
        out.push(t[i]!);
        if (i + 1 < t.length) out.push(t.slice(i, i + 2));
        if (i + 2 < t.length) out.push(t.slice(i, i + 3));
      }
    } else if (!STOP.has(t)) {
      const w = `<${t}>`;
      for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
    }
  }
  return out;
}
