/**
 * Text normalisation and tokenisation shared by lexical ranking and the offline
 * embedder. English: lower-cased words, stop words dropped, common chat
 * abbreviations spelled out (acct → account), irregular verb forms and the Porter2
 * stemmer. Chinese (no spaces between words): traditional characters folded to
 * simplified ones, then overlapping character bigrams plus single characters, the
 * standard segmentation-free approach for retrieval. Numbers: "10,000", "10k" and
 * "1万" all become 10000.
 */
import { foldHan } from "./hanFold.ts";
import { stemWord } from "./stemmer.ts";

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const TOKEN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:['’][a-z]+)?/g;

const STOP = new Set(
  (
    "a an and are as at be been being but by can could do does did doing for from had has have having how i if in into is it its itself me my myself of on or our ours " +
    "please pls plz so than that the their theirs them then there these they this those to us was we were what when where which who whom why will with would you your yours " +
    "he him his she her hers also just about any anyone anything some something he'd i'd i'll i'm i've you're you've you'll we're we've they're it's that's there's " +
    "im ive id youre isnt arent wasnt werent dont doesnt didnt cant couldnt wont wouldnt shouldnt havent hasnt hadnt " +
    "can't don't doesn't didn't won't isn't aren't wasn't weren't couldn't wouldn't shouldn't haven't hasn't hadn't " +
    // Question words with "is" run on, with or without the apostrophe: "whats the fee" asks as "what is the fee" does
    // (stemmed, they became "what", a word articles never use, which weighed as the question's rarest term).
    "what's whats where's wheres when's whens who's whos how's hows which's " +
    "hi hello hey thanks thank ok okay u ur r ya yeah much many " +
    // Fillers of customers' messages, rare in articles and so weighed as a question's rarest terms: "are branches
    // open saturday afternoon? want to go around 2" was answered by a sentence with "around a holiday" in it.
    // Answer sets, cost (3 × wrong or answered must-decline + declined): holdout a–d 323 → 319, e 128 → 127;
    // dev a–d 253 → 254, e 123 → 120.
    "around roughly approximately approx want wanna gonna like really actually rn tho"
  ).split(" "),
);
// Frequent Chinese function characters: alone they carry no topic.
const ZH_STOP = new Set("的了吗呢吧啊是我你他她它们在有和与就都也还要会能可以这那个么什怎请问咋啥呗嘛哦呀哈嗯诶哎得地着过把给让又再才很太挺更该些".split(""));

// Chat spellings and abbreviations → the word articles use (applied before stemming).
const SPELLING: Record<string, string> = {};
for (const group of [
  "account acct accts acc accs accnt",
  "point pts pt",
  "year yr yrs",
  "month mth mths",
  "minute mins",
  "hour hr hrs",
  "week wk wks",
  "amount amt",
  "balance bal",
  "transaction txn txns trx",
  "through thru",
  "mother mum mom mam mommy mummy",
  "father dad daddy",
  "government govt",
  "information info",
  "password pw pwd passwd",
  "international intl",
  "difference diff",
  "people ppl",
  "tomorrow tmrw tmr tomoz",
  "before b4",
  "approximately approx",
  "appointment appt",
  "message msg msgs",
  "business biz",
  "customer cust",
  "telephone tel",
  "address addr",
  "favorite favourite",
]) {
  const [to, ...from] = group.split(" ");
  for (const f of from) SPELLING[f] = to!;
}

const MULTIPLIER: Record<string, number> = { k: 1e3, m: 1e6, 千: 1e3, 万: 1e4, 亿: 1e8 };
const times = (_: string, n: string, unit: string) => String(Math.round(Number(n) * MULTIPLIER[unit]!));

/**
 * Chinese numerals before a unit of time, count or money ("五年", "二十四期", "两万",
 * "三个工作日") as the digits articles use ("5年", "24期"): "那五年的呢" finds the
 * table row "5年". Only before a unit, so words built on 一 (一定, 一样, 十一假期) stay.
 */
const ZH_NUMERAL = /([零〇一二两三四五六七八九十百千万]+)(?=个月|个工作日|工作日|年|月|期|天|日|周|次|万|千|元|块|岁|小时|分钟|笔|张|倍)/g;
const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * A number written in Chinese numerals (三十八, 一千二百, 两万五千, 二〇二六) as a number.
 * `spoken`: also as people say amounts, a last digit after 百/千/万 counting in the next
 * unit down (一千二 = 1200, 两万五 = 25000, 一百二 = 120; 一百零二 stays 102). The
 * knowledge index does not read it so (TOKENIZER_VERSION would change, and every index
 * be rebuilt): articles write amounts in full.
 */
export function zhNumeral(s: string, opts: { spoken?: boolean } = {}): number {
  // Written digit by digit (二〇二六年): the digits in order.
  if (!/[十百千万]/.test(s)) return Number([...s].map((c) => ZH_DIGITS[c]).join(""));
  const tail = opts.spoken ? /([百千万])([一二两三四五六七八九])$/.exec(s) : null;
  if (tail) return zhNumeral(s.slice(0, -1)) + ZH_DIGITS[tail[2]!]! * (ZH_UNITS[tail[1]!]! / 10);
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of s) {
    const unit = ZH_UNITS[c];
    if (unit === 10_000) {
      total += (section + digit || 1) * unit;
      section = digit = 0;
    } else if (unit) {
      section += (digit || 1) * unit;
      digit = 0;
    } else digit = ZH_DIGITS[c]!;
  }
  return total + section + digit;
}
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10_000 };

/**
 * Bump when tokens change for the same text: the index is rebuilt on the next sync
 * (syncKnowledge.ensureIndexFor), as passages keep the tokens they were indexed with.
 * 2: Chinese numerals before units as digits. 3: fillers as stop words ("around", "want", "like").
 */
export const TOKENIZER_VERSION = 3;

/** NFKC folds full-width letters/digits and compatibility forms; lower-case, simplified Chinese, plain numbers. */
export function normalize(text: string): string {
  const t = foldHan(text.normalize("NFKC").toLowerCase()).replace(ZH_NUMERAL, (n) => (/^[千万]+$/.test(n) ? n : String(zhNumeral(n))));
  if (!/\d/.test(t)) return t;
  return t
    .replace(/(\d),(?=\d{3}\b)/g, "$1")
    .replace(/(\d+(?:\.\d+)?)(k|m)(?![a-z0-9])/g, times)
    .replace(/(\d+(?:\.\d+)?)\s?([千万亿])/g, times);
}

/** A Chinese function character (particle, pronoun, auxiliary): carries no topic of its own. */
export function isChineseFunctionChar(ch: string): boolean {
  return ZH_STOP.has(ch);
}

export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/** Stems an English word (irregular forms, then Porter2). */
export function stem(word: string): string {
  return stemWord(word.replace(/['’]s$/, ""));
}

// Words repeat a lot: a bounded memo of word → token ("" for a stop word).
const memo = new Map<string, string>();

/** An English word normalised and stemmed; undefined for a stop word. */
function englishToken(t: string): string | undefined {
  let out = memo.get(t);
  if (out === undefined) {
    out = STOP.has(t.replace("’", "'")) ? "" : stem(SPELLING[t] ?? t);
    if (memo.size >= 50_000) memo.clear();
    memo.set(t, out);
  }
  return out || undefined;
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
    } else {
      const w = englishToken(t);
      if (w) out.push(w);
    }
  }
  return out;
}

/** Character n-grams (3–4 for Latin words, padded; 1–3 for Han): robust to typos. */
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
      const w = `<${SPELLING[t] ?? t}>`;
      for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
    }
  }
  return out;
}
