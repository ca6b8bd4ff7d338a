import type { CoreBanking, Transaction } from "../../banking/CoreBanking.ts";
import type { Language } from "../language.ts";
import { money, say } from "../replies.ts";
import type { ToolOutcome } from "./outcome.ts";
import { zhNumeral } from "../../knowledge/text.ts";

/** How far back "what is this charge?" looks: a charge people ask about is a recent one. */
export const LOOKBACK_DAYS = 60;
const SHOWN = 3;
/** Pages of 100 read at most (a very busy account's 60 days stop there). */
const MAX_PAGES = 5;

const AMOUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
const MARKED = [new RegExp(String.raw`[¥$]\s*${AMOUNT}`, "i"), new RegExp(String.raw`${AMOUNT}\s*(?:元|块|塊|yuan|rmb|cny|kuai)`, "i")];
const BARE = new RegExp(String.raw`(?<![\d.])${AMOUNT}(?![\d.])`);

const ZH_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** An amount in Chinese numerals with its currency and spoken decimals: 三十八块, 三十八块五, 三块五毛二, 一百二十元五角. */
const ZH_MONEY =
  /([零〇一二两三四五六七八九十百千万]+)(元|块|塊)(?:([一二两三四五六七八九])(?:(?:角|毛)(?:([一二三四五六七八九])分?)?)?)?/g;
/**
 * An amount in Chinese numerals without a currency ("这笔两千是什么", "一千二的那笔"):
 * a digit then a unit (not 千万, "by all means"), or 十 and a digit; not an ordinal (第二十),
 * a date, a time or a count (十一月, 十五号, 二十分钟, 三十个, 十分 "very").
 */
const ZH_BARE =
  /(?<![第零〇一二两三四五六七八九十百千万])(?:[一二两三四五六七八九][零〇一二两三四五六七八九十百千万]*[十百千万][零〇一二两三四五六七八九十百千万]*|十[一二三四五六七八九])(?![零〇一二两三四五六七八九十百千万]|月|日|号|號|点|點|年|个|個|次|天|分|秒|岁|歲|期|倍|笔|筆|张|張|周|週|位|人|多)/g;

/**
 * The amount a customer asks about: one with a currency (¥38, 38元, 38 yuan) first,
 * else the first plain number. Full-width digits and ￥ count as ASCII; Chinese
 * numerals as digits, read as amounts are spoken (三十八块五 = 38.5, 两千五 = 2500).
 */
export function amountIn(text: string): number | null {
  const t = text
    .normalize("NFKC")
    .replace(/￥/g, "¥")
    // "这笔三十八块是什么", "三块五毛": an amount in Chinese numerals, before its currency.
    .replace(ZH_MONEY, (_, n: string, unit: string, jiao?: string, fen?: string) => {
      const cents = (jiao ? ZH_DIGIT[jiao]! * 10 : 0) + (fen ? ZH_DIGIT[fen]! : 0);
      return `${zhNumeral(n, { spoken: true })}${cents ? `.${String(cents).padStart(2, "0")}` : ""}${unit}`;
    })
    .replace(ZH_BARE, (n) => ` ${zhNumeral(n, { spoken: true })} `);
  const m = MARKED.map((re) => re.exec(t)).find(Boolean) ?? BARE.exec(t);
  if (!m) return null;
  const n = Number(`${m[1]!.replace(/,/g, "")}.${m[2] ?? "0"}`);
  return n > 0 ? n : null;
}

/** Words of a question that say nothing about which merchant it was. */
const STOP = new Set(
  `what whats what's is this that the a an of on in at for from to my me i was were did do does charge charged charges payment payments
  transaction transactions debit credit card account yuan rmb cny kuai about explain tell please pls can you see there why who
  how much money spent spend paid pay it its it's with by and or recent recently last yesterday today week month this`.split(/\s+/),
);
/** Chinese phrases of the question itself, dropped before looking for a merchant's name. */
const ZH_STOP =
  /这笔|那笔|一笔|是什么|是啥|什么|哪来的|哪里来的|怎么回事|扣款|扣费|消费|交易|支出|收费|元|块|塊|钱|的|了|吗|呢|我|帮|查|一下|请问|最近|昨天|今天/g;

/** Words that may name the merchant ("the ¥38 Starbucks charge", "38元的滴滴"), lower-cased. */
export function descriptionWords(text: string): string[] {
  const t = text.normalize("NFKC").toLowerCase();
  const latin = (t.match(/[a-z][a-z'-]{2,}/g) ?? []).filter((w) => !STOP.has(w));
  const cjk = t.replace(ZH_STOP, " ").match(/[\u4e00-\u9fff]{2,}/g) ?? [];
  return [...latin, ...cjk];
}

/**
 * Transactions of the amount asked about (money in or out), newest first; when some
 * of them also carry a word of the question in their description, only those.
 */
export function matchTransactions(items: Transaction[], amount: number, words: string[]): Transaction[] {
  const same = items.filter((t) => Math.abs(Math.abs(t.amount) - amount) < 0.005);
  const named = same.filter((t) => words.some((w) => t.description.toLowerCase().includes(w)));
  return named.length ? named : same;
}

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The customer's transactions of the last 60 days (money in and out), newest first. */
export async function recentTransactions(banking: CoreBanking, customerId: string, now = new Date()): Promise<Transaction[]> {
  const from = isoDay(new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000));
  const to = isoDay(now);
  const items: Transaction[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await banking.transactions(customerId, { from, to, limit: 100, cursor });
    items.push(...r.items);
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  return items;
}

/** "What is this ¥38 charge?": the matching transactions of the last 60 days (read only). */
export async function explainTransaction(
  banking: CoreBanking,
  customerId: string,
  lang: Language,
  text: string,
  now = new Date(),
): Promise<ToolOutcome> {
  const amount = amountIn(text);
  if (amount === null) return { reply: say("explainAskAmount", lang), data: { amount: null } };
  const found = matchTransactions(await recentTransactions(banking, customerId, now), amount, descriptionWords(text));
  if (!found.length) {
    return {
      reply: say("explainNone", lang, { amount: money(amount) }),
      quickReplies: [{ label: say("talkToPerson", lang), text: say("talkToPerson", lang) }],
      data: { amount, matches: 0 },
    };
  }
  const lines = found
    .slice(0, SHOWN)
    .map((t) => `- ${isoDay(new Date(t.postedAt))} **${t.description}** (${t.accountName}): ${t.amount > 0 ? "+" : ""}${money(t.amount)}`);
  const more = found.length > SHOWN ? `\n${say("explainMore", lang, { n: String(found.length - SHOWN) })}` : "";
  return { reply: `${say("explainFound", lang)}\n${lines.join("\n")}${more}`, data: { amount, matches: found.length } };
}
