import { isChineseFunctionChar, isHan, normalize, tokenize } from "../../knowledge/text.ts";
import { matchConcepts, normalizeText } from "../intents/features.ts";
import { CONCEPTS } from "../intents/concepts.ts";
import { segmentChinese } from "../sentiment/chinese.ts";

/** Opens or closes a message that leans on what came before: "and...", "what about...", "那…呢". */
const LEANS_ON_BEFORE =
  /^\s*(and|also|plus|what about|how about|same for|ok(ay)? (and|what|how|so)|so|then|but|what if|and if|if so)\b|^\s*(那|那么|还有|另外|再问|如果|要是)|呢[？?。.!！]*\s*$/i;
/** Fewer topical words than this and a restated question cannot stand alone (decideHandoff.restatedQuestion). */
const SHORT = 4;
/** Greetings and thanks in Chinese (the glossary's hello, thanks and bye) name no topic; English ones are stop words already. */
const COURTESY = new Set(["hello", "thanks", "bye"].flatMap((c) => CONCEPTS[c]!.zh));
const HAN_RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/g;

/**
 * The message's own topical words. English: its search tokens (stop words dropped,
 * stemmed). Chinese: jieba's words without the particles and pronouns, not the search
 * tokens, which are overlapping character bigrams: "啥时候能到账" is three words but
 * eleven tokens, and counted in tokens no Chinese follow-up was ever short.
 */
function ownWords(text: string): number {
  const words = new Set<string>();
  for (const run of normalize(text).match(HAN_RUNS) ?? []) {
    if (isHan(run[0]!)) {
      for (const w of segmentChinese(run))
        if ([...w].some((c) => isHan(c) && !isChineseFunctionChar(c)) && !ASKING_WORD.test(w) && !QUANTITY.test(w) && !COURTESY.has(w))
          words.add(w);
    } else for (const t of tokenize(run)) words.add(t);
  }
  return words.size;
}

/**
 * Chinese words that ask or count rather than name a topic: "汇两万块手续费一共多少" after
 * "我要往国外汇钱" names two things of its own (汇, 手续费), not five, and is read with the
 * earlier turn (the transfer abroad), not as a new question about fees in general.
 */
const ASKING_WORD =
  /^(多少|多久|多长|多大|多高|几|几个|几天|几点|几次|几年|怎么|怎样|怎么样|怎么办|如何|什么|啥|咋|哪|哪些|哪个|哪里|哪儿|为什么|为啥|一共|总共|总计|大概|大约|是否|能否|能不能|可不可以|可以|请问|吗|呢|么)$/;
// Amounts are normalised to digits ("两万" → "20000"), and jieba may leave the measure word alone ("块").
const QUANTITY = /^[\d.,一二两三四五六七八九十百千万亿半几]*(个|块|元|块钱|万|千|百|天|年|月|个月|周|次|笔|张|岁|分钟|小时)?$/;

/**
 * The products and services a message can be about, as concepts of the intents'
 * glossary (intents/concepts.ts). A short message that names one of its own, where the
 * earlier turns named others ("what are your savings interest rates" after two questions
 * about transfers), has changed the subject; the qualities asked about (a fee, a rate, a
 * time) and the sub-topics of a product (a credit card's repayments, its points) do not.
 */
const SUBJECTS: Record<string, string> = {
  card: "card",
  credit_card: "card",
  transfer: "transfer",
  savings: "savings",
  fixed_deposit: "savings",
  monthly_saving: "savings",
  mortgage: "loan",
  loan: "loan",
  invest: "invest",
  app: "app",
  branch: "branch",
};

/** The subjects a text names, by family: a credit card is a card, 零存整取 is savings ("存"). */
function subjectsOf(text: string): Set<string> {
  return new Set(matchConcepts(normalizeText(text)).flatMap((c) => (SUBJECTS[c] ? [SUBJECTS[c]] : [])));
}

/** A message naming subjects of its own, none of which the earlier turns named while they named others. */
function changesSubject(text: string, earlier: string): boolean {
  const now = subjectsOf(text);
  if (!now.size) return false;
  const before = subjectsOf(earlier);
  return before.size > 0 && ![...now].some((s) => before.has(s));
}

/** Whether a message names enough of its own to be a question without the earlier turns. */
export function standsAlone(text: string): boolean {
  return ownWords(text) >= SHORT;
}

/**
 * The earlier turns a message is read with, or undefined when there are none to read
 * it with. "And what does it cost?" after a question about transfers abroad is about
 * transfers abroad; "what about credit cards?" keeps the question and changes the
 * product. A question that names enough of its own is still read with them (at less
 * weight than its own words: KnowledgeSearch.queryTerms): "how long until the money is
 * back in my account?" after "my transfer to another bank got returned" is about the
 * returned transfer, and on the blind answer sets' dev halves reading such questions
 * alone declined or misread them (set e cost 112 → 96, sets a–d 233 → 233). Only a
 * message that names another subject than the earlier turns, without leaning on them,
 * starts afresh. The customer's previous messages (newest first, two at most, greetings
 * left out) are the context: the bot's own replies would drag their whole topic along.
 */
export function followUpContext(text: string, earlierCustomerTurns: string[]): string | undefined {
  const topical: string[] = [];
  for (let i = earlierCustomerTurns.length - 1; i >= 0 && topical.length < 2; i--)
    if (ownWords(earlierCustomerTurns[i]!) > 0) topical.push(earlierCustomerTurns[i]!);
  if (!topical.length) return undefined;
  const earlier = topical.join("\n");
  if (!LEANS_ON_BEFORE.test(text) && changesSubject(text, earlier)) return undefined;
  return earlier;
}
