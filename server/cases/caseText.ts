import fs from "node:fs";
import path from "node:path";
import { fillIn } from "../../shared/fillIn.ts";
import type { Language } from "../assistant/language.ts";
import type { JurisdictionId } from "./jurisdictions.ts";

/**
 * What a customer reads about their case, in their language: the assistant's
 * confirmation and the letters (templates/cases/<kind>.<lang>.md, which the bank's
 * complaints team edits like the prompts).
 */
export const TEMPLATES_DIR = path.resolve(import.meta.dirname, "../../templates/cases");
export const LETTER_KINDS = ["acknowledgement", "final_response"] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

const TEXT = {
  recorded: {
    en: "I've recorded your complaint under reference {reference}. A complaint specialist who was not involved will look into it, and you will have our final response by {date} at the latest. Please quote {reference} whenever you contact us about it.",
    zh: "已为您登记投诉，投诉编号 {reference}。将由与该事项无关的投诉专员跟进处理，最迟于 {date} 前给您最终答复。今后联系我们时请提供编号 {reference}。",
  },
  inProgress: {
    en: "Your complaint {reference} is with a complaint specialist, and you will have our final response by {date} at the latest.",
    zh: "您的投诉（编号 {reference}）正由投诉专员处理，最迟于 {date} 前给您最终答复。",
  },
  refund: { en: "We will refund {amount} to your account within 5 working days.", zh: "我们将在 5 个工作日内向您的账户退还 {amount}。" },
  apology: { en: "We apologise for what happened.", zh: "对此给您带来的不便，我们深表歉意。" },
  processChange: { en: "What we are changing: {change}", zh: "我们的改进措施：{change}" },
  customer: { en: "customer", zh: "客户" },
  team: { en: "our complaints team", zh: "投诉专员" },
} as const;

/** Where a customer can take a complaint beyond the bank, per jurisdiction. */
const ESCALATION: Record<JurisdictionId, Record<Language, string>> = {
  cn: {
    en: "the National Financial Regulatory Administration (consumer hotline 12378) or a financial dispute mediation organisation",
    zh: "国家金融监督管理总局（消费者投诉热线 12378）或金融纠纷调解组织",
  },
  uk: {
    en: "the Financial Ombudsman Service (financial-ombudsman.org.uk, 0800 023 4567)",
    zh: "英国金融申诉专员服务（Financial Ombudsman Service）",
  },
  us: { en: "the Consumer Financial Protection Bureau (consumerfinance.gov/complaint)", zh: "美国消费者金融保护局（CFPB）" },
  custom: { en: "the financial regulator or ombudsman", zh: "金融监管机构或申诉专员" },
};

export function caseText(key: keyof typeof TEXT, language: Language, vars: Record<string, string> = {}): string {
  return fillIn(TEXT[key][language], vars);
}

/** A calendar date as a customer reads it: "9 March 2026", "2026年3月9日". */
export function formatDate(date: string, language: Language): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  if (language === "zh") return `${y}年${m}月${d}日`;
  const month = new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-GB", { month: "long", timeZone: "UTC" });
  return `${d} ${month} ${y}`;
}

export function formatMoney(amount: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(language === "zh" ? "zh-CN" : "en-GB", { style: "currency", currency }).format(amount);
}

export function escalationText(jurisdiction: string, language: Language): string {
  return (ESCALATION[jurisdiction as JurisdictionId] ?? ESCALATION.custom)[language];
}

/** A letter from its template, every {{name}} filled; one left unfilled is an error, not a blank in a customer's letter. */
export function renderLetter(kind: LetterKind, language: Language, vars: Record<string, string>, dir = TEMPLATES_DIR): string {
  const template = fs.readFileSync(path.join(dir, `${kind}.${language}.md`), "utf8");
  const missing = new Set<string>();
  const text = template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (vars[k] === undefined) missing.add(k);
    return vars[k] ?? "";
  });
  if (missing.size) throw new Error(`Letter template ${kind}.${language} needs ${[...missing].join(", ")}`);
  // A paragraph left empty (no remedy) is dropped rather than left as a gap.
  return text.replace(/\n{3,}/g, "\n\n").trim();
}
