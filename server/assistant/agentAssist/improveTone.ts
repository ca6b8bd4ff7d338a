import { detectLanguage, type Language } from "../language.ts";

/** What the offline rewrite changed, said plainly so the agent can check it. */
export interface ToneResult {
  text: string;
  changes: string[];
}

/** Chat shorthand and its spelled-out form (whole words, case-insensitive). */
const ABBREVIATIONS: Array<[string, string]> = [
  ["pls", "please"],
  ["plz", "please"],
  ["thx", "thanks"],
  ["thks", "thanks"],
  ["ty", "thank you"],
  ["u", "you"],
  ["ur", "your"],
  ["r", "are"],
  ["asap", "as soon as possible"],
  ["btw", "by the way"],
  ["fyi", "for your information"],
  ["acct", "account"],
  ["a/c", "account"],
  ["txn", "transaction"],
  ["pmt", "payment"],
  ["msg", "message"],
  ["info", "information"],
  ["approx", "approximately"],
  ["w/o", "without"],
  ["w/", "with"],
  ["b4", "before"],
  ["tmrw", "tomorrow"],
  ["tmr", "tomorrow"],
  ["idk", "I'm not sure"],
  ["np", "no problem"],
  ["k", "OK"],
  ["ok", "OK"],
  ["yr", "your"],
  ["cant", "can't"],
  ["dont", "don't"],
  ["wont", "won't"],
  ["im", "I'm"],
  ["shld", "should"],
  ["shd", "should"],
  ["shud", "should"],
  ["wld", "would"],
  ["wud", "would"],
  ["cld", "could"],
  ["cud", "could"],
  ["abt", "about"],
  ["bc", "because"],
  ["b/c", "because"],
  ["bcoz", "because"],
  ["coz", "because"],
  ["cuz", "because"],
  ["thru", "through"],
  ["tho", "though"],
  ["ppl", "people"],
  ["amt", "amount"],
  ["dept", "department"],
  ["hrs", "hours"],
  ["mins", "minutes"],
  ["wk", "week"],
  ["wks", "weeks"],
  ["mth", "month"],
  ["mths", "months"],
  ["rn", "right now"],
  ["gonna", "going to"],
  ["wanna", "want to"],
  ["lemme", "let me"],
  ["nvm", "never mind"],
  ["pls.", "please"],
];
/** Upper-case words that are written that way on purpose. */
const ACRONYMS = new Set(
  "PIN ATM CVV CVC ID SMS OTP IBAN SWIFT BIC USD CNY RMB EUR GBP HKD APP VIP FAQ API URL PDF SSN KYC AML UK US EU OK ETA TBC APR APY"
    .split(" ")
    .filter(Boolean),
);
const GREETING_EN = /^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|thanks? (you )?for)\b/i;
const GREETING_ZH = /^\s*(您好|你好|尊敬的|感谢|謝謝|谢谢)/;
/**
 * A last sentence that closes a reply: it ends with one of these phrases ("Thanks
 * for waiting, your card is frozen now" starts with thanks but does not close).
 */
const CLOSING_EN =
  /(anything else[^.,!?\n]{0,40}|let me know[^.,!?\n]{0,40}|happy to help|(best |kind |warm )?regards[^\n]{0,40}|have a (nice|good|great|lovely) (day|evening|weekend)|(thank you|thanks)( (so|very) much)?( for [^.,!?\n]{0,40})?)[.!?]*\s*$/i;
const CLOSING_ZH = /(还有其他|還有其他|祝您|感谢|感謝|谢谢|謝謝)[^\n]{0,20}$/;

/**
 * The offline "improve tone": a rule-based politeness and clarity pass that only
 * rewrites form, never content. It spells out chat shorthand, turns SHOUTING into
 * normal case (acronyms such as PIN stay), tames repeated !!! and ???, capitalises
 * sentences, "i" and the customer's name, and adds a greeting and a closing when
 * there is none. Every change is listed; a draft that needs none comes back unchanged.
 */
export function improveToneOffline(draft: string, opts: { customerName?: string | null; language?: Language } = {}): ToneResult {
  const changes: string[] = [];
  const language = opts.language ?? detectLanguage(draft);
  let text = draft
    .replace(/[ \t]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (!text) return { text: draft, changes };

  if (language === "en") {
    const expanded: string[] = [];
    for (const [short, long] of ABBREVIATIONS) {
      const esc = short.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const re = new RegExp(`(^|[\\s(“"'])${esc}(?=$|[\\s.,!?;:)”"'])`, "gi");
      let hit = false;
      text = text.replace(re, (_m, pre: string) => {
        hit = true;
        return pre + long;
      });
      if (hit && short.toLowerCase() !== long.toLowerCase()) expanded.push(`“${short}” → “${long}”`);
    }
    if (expanded.length) changes.push(`Spelled out shorthand: ${expanded.join(", ")}`);
  }

  // SHOUTING: words of three or more capitals that are not acronyms.
  let shouted = 0;
  text = text.replace(/\b[A-Z][A-Z']{2,}\b/g, (w) => {
    if (ACRONYMS.has(w)) return w;
    shouted++;
    return w.toLowerCase();
  });
  if (shouted) changes.push("Replaced all-capitals words with normal case");

  const before = text;
  text = text
    .replace(/!{2,}/g, "!")
    .replace(/\?{2,}/g, "?")
    .replace(/[!?]*\?[!?]*!+|!+\?[!?]*/g, "?")
    .replace(/！{2,}/g, "！")
    .replace(/？{2,}/g, "？");
  if (text !== before) changes.push("Toned down repeated punctuation");

  if (language === "en") {
    const cased = text
      .replace(/(^|[.!?]\s+|\n\s*)([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase())
      .replace(/\bi\b(?=[\s',.!?]|$)/g, "I");
    if (cased !== text) {
      changes.push("Capitalised the start of sentences");
      text = cased;
    }
    if (!/[.!?:)]$/.test(text) && !CLOSING_EN.test(text)) {
      text += ".";
      changes.push("Ended the last sentence");
    }
  } else if (!/[。！？.!?）)]$/.test(text) && !CLOSING_ZH.test(text)) {
    text += "。";
    changes.push("Ended the last sentence");
  }

  const name = opts.customerName?.trim();
  // The customer's name as it is written ("wang fang" in a hurried draft is "Wang Fang").
  if (name && language === "en") {
    const esc = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const named = text.replace(new RegExp(`\\b${esc}\\b`, "gi"), (m) => (m === name ? m : name));
    if (named !== text) {
      text = named;
      changes.push(`Wrote the customer's name as “${name}”`);
    }
  }
  if (language === "zh") {
    if (!GREETING_ZH.test(text)) {
      text = `您好${name ? `，${name}` : ""}！${text}`;
      changes.push("Added a greeting");
    }
    if (!CLOSING_ZH.test(text)) {
      text = `${text}\n\n请问还有其他可以帮您的吗？`;
      changes.push("Added a closing");
    }
  } else {
    if (!GREETING_EN.test(text)) {
      text = `Hello${name ? ` ${name}` : ""},\n\n${text}`;
      changes.push("Added a greeting");
    }
    if (!CLOSING_EN.test(text)) {
      text = `${text}\n\nIs there anything else I can help you with?`;
      changes.push("Added a closing");
    }
  }
  return { text, changes };
}
