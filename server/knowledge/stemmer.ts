/**
 * English stemming for retrieval: the Porter2 ("English") stemmer of the Snowball
 * project, preceded by a table of irregular verb forms that no suffix rule can reach
 * (stole/stolen → steal, paid → pay, forgot → forget). Both the articles and the
 * questions go through it, so only consistency matters, not real words.
 */

// Irregular past tenses and participles common in customer messages.
const IRREGULAR: Record<string, string> = {};
for (const group of [
  "steal stole stolen",
  "forget forgot forgotten",
  "pay paid",
  "send sent",
  "lose lost",
  "spend spent",
  "withdraw withdrew withdrawn",
  "take took taken",
  "give gave given",
  "get got gotten",
  "go went gone",
  "buy bought",
  "sell sold",
  "leave left",
  "make made",
  "hold held",
  "keep kept",
  "find found",
  "bring brought",
  "tell told",
  "say said",
  "break broke broken",
  "freeze froze frozen",
  "choose chose chosen",
  "draw drew drawn",
  "write wrote written",
  "know knew known",
  "see saw seen",
  "come came",
  "begin began begun",
  "do did done",
  "lend lent",
  "owe owed",
  "fall fell fallen",
  "hide hid hidden",
  "run ran",
  "swallow swallowed",
  "eat ate eaten",
  "drive drove driven",
  "think thought",
  "mean meant",
  "feel felt",
  "ring rang rung",
  "wake woke woken",
  "shake shook shaken",
  "rise rose risen",
  "understand understood",
  "receive received",
  "child children",
  "person people",
]) {
  const [base, ...forms] = group.split(" ");
  for (const f of forms) IRREGULAR[f] = base!;
}

/** Stems one lower-case word (letters, digits, apostrophes). */
export function stemWord(word: string): string {
  const w = IRREGULAR[word] ?? word;
  return /\d/.test(w) ? w : porter2(w);
}

const EXCEPTIONS: Record<string, string> = {
  skis: "ski",
  skies: "sky",
  dying: "die",
  lying: "lie",
  tying: "tie",
  idly: "idl",
  gently: "gentl",
  ugly: "ugli",
  early: "earli",
  only: "onli",
  singly: "singl",
  sky: "sky",
  news: "news",
  howe: "howe",
  atlas: "atlas",
  cosmos: "cosmos",
  bias: "bias",
  andes: "andes",
};
const AFTER_1A = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);

const isVowel = (c: string | undefined) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
const DOUBLES = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
const LI_ENDING = new Set("cdeghkmnrt".split(""));

/** The Porter2 (Snowball English) stemmer. */
export function porter2(input: string): string {
  if (input.length <= 2) return input;
  const ex = EXCEPTIONS[input];
  if (ex) return ex;
  let w = input.replace(/^'/, "").replace(/’/g, "'");
  if (w.length <= 2) return w;
  // y as a consonant: initial, or after a vowel.
  const chars = w.split("");
  if (chars[0] === "y") chars[0] = "Y";
  for (let i = 1; i < chars.length; i++) if (chars[i] === "y" && isVowel(chars[i - 1])) chars[i] = "Y";
  w = chars.join("");
  const vowel = (i: number) => isVowel(w[i]);

  const regionAfter = (start: number) => {
    for (let i = start + 1; i < w.length; i++) if (!vowel(i) && vowel(i - 1)) return i + 1;
    return w.length;
  };
  let r1: number;
  const special = /^(gener|commun|arsen)/.exec(w);
  if (special) r1 = special[0].length;
  else r1 = regionAfter(0);
  const r2 = (() => {
    for (let i = r1 + 1; i < w.length; i++) if (!vowel(i) && vowel(i - 1)) return i + 1;
    return w.length;
  })();
  const inR1 = (suffix: string) => w.length - suffix.length >= r1;
  const inR2 = (suffix: string) => w.length - suffix.length >= r2;
  const shortSyllableAt = (end: number) => {
    // the last syllable ending at index `end` (inclusive) is short
    if (end === 1) return vowel(0) && !vowel(1);
    if (end < 2) return false;
    const c = w[end]!;
    return !vowel(end - 2) && vowel(end - 1) && !vowel(end) && c !== "w" && c !== "x" && c !== "Y";
  };
  const isShort = () => shortSyllableAt(w.length - 1) && r1 >= w.length;
  const ends = (s: string) => w.endsWith(s);
  const cut = (n: number) => (w = w.slice(0, w.length - n));

  // Step 0
  for (const s of ["'s'", "'s", "'"]) if (ends(s)) {
    cut(s.length);
    break;
  }
  // Step 1a
  if (ends("sses")) cut(2);
  else if (ends("ied") || ends("ies")) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
  else if (ends("us") || ends("ss")) {
    /* unchanged */
  } else if (ends("s")) {
    if (/[aeiouy]/.test(w.slice(0, -2))) cut(1);
  }
  if (AFTER_1A.has(w)) return w;

  // Step 1b
  const s1b = ["eedly", "ingly", "edly", "eed", "ing", "ed"].find((s) => ends(s));
  if (s1b === "eed" || s1b === "eedly") {
    if (inR1(s1b)) w = w.slice(0, -s1b.length) + "ee";
  } else if (s1b) {
    const stem = w.slice(0, -s1b.length);
    if (/[aeiouy]/.test(stem)) {
      w = stem;
      if (ends("at") || ends("bl") || ends("iz")) w += "e";
      else if (DOUBLES.has(w.slice(-2))) cut(1);
      else if (isShort()) w += "e";
    }
  }
  // Step 1c
  if ((ends("y") || ends("Y")) && w.length > 2 && !vowel(w.length - 2)) w = w.slice(0, -1) + "i";

  // Step 2
  const STEP2: Array<[string, string]> = [
    ["ization", "ize"],
    ["ational", "ate"],
    ["fulness", "ful"],
    ["ousness", "ous"],
    ["iveness", "ive"],
    ["tional", "tion"],
    ["biliti", "ble"],
    ["lessli", "less"],
    ["entli", "ent"],
    ["ation", "ate"],
    ["alism", "al"],
    ["aliti", "al"],
    ["ousli", "ous"],
    ["iviti", "ive"],
    ["fulli", "ful"],
    ["enci", "ence"],
    ["anci", "ance"],
    ["abli", "able"],
    ["izer", "ize"],
    ["ator", "ate"],
    ["alli", "al"],
    ["bli", "ble"],
    ["ogi", "og"],
    ["li", ""],
  ];
  for (const [s, r] of STEP2) {
    if (!ends(s)) continue;
    if (inR1(s)) {
      if (s === "ogi") {
        if (w[w.length - 4] === "l") w = w.slice(0, -3) + r;
      } else if (s === "li") {
        if (LI_ENDING.has(w[w.length - 3]!)) cut(2);
      } else w = w.slice(0, -s.length) + r;
    }
    break;
  }
  // Step 3
  const STEP3: Array<[string, string]> = [
    ["ational", "ate"],
    ["tional", "tion"],
    ["alize", "al"],
    ["icate", "ic"],
    ["iciti", "ic"],
    ["ative", ""],
    ["ical", "ic"],
    ["ness", ""],
    ["ful", ""],
  ];
  for (const [s, r] of STEP3) {
    if (!ends(s)) continue;
    if (inR1(s) && (s !== "ative" || inR2(s))) w = w.slice(0, -s.length) + r;
    break;
  }
  // Step 4
  const STEP4 = ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic"];
  for (const s of STEP4) {
    if (!ends(s)) continue;
    if (inR2(s)) {
      if (s === "ion") {
        const c = w[w.length - 4];
        if (c === "s" || c === "t") cut(3);
      } else cut(s.length);
    }
    break;
  }
  // Step 5
  if (ends("e")) {
    if (inR2("e") || (inR1("e") && !shortSyllableAt(w.length - 2))) cut(1);
  } else if (ends("l") && inR2("l") && w[w.length - 2] === "l") cut(1);

  return w.replace(/Y/g, "y");
}
