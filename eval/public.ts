/**
 * Public data sets that BankDesk did not write, read at run time from the shared
 * folder beside the repository (`../shared/data/…`) and never copied into it:
 *
 *  - sentiment/en-social-val.jsonl — TweetEval sentiment validation split, 3 classes:
 *    scored by macro-recall over negative/neutral/positive.
 *  - sentiment/zh-reviews-dev.jsonl — ChnSentiCorp development split, 2 classes
 *    (research use only: measure with it, never ship anything built from its text):
 *    scored by accuracy, an answer of "neutral" counts as wrong.
 *  - clinc150/data_full.json — CLINC150 (CC BY 3.0): the in-scope banking and
 *    credit-card queries are ordinary requests that must not be handed to a human.
 *
 * Each set is split deterministically into a development half and a holdout half by
 * a hash of the text, so that thresholds are chosen on `dev` and checked on `holdout`.
 * When the folder is absent (a checkout without shared/), the figures are skipped
 * with a message rather than failing.
 */
import fs from "node:fs";
import path from "node:path";
import { ROOT, readJsonl } from "./lib/data.ts";
import type { SentimentAnalyzer, SentimentLabel } from "../server/assistant/sentiment/index.ts";
import { labelAll } from "./lib/sentimentUnderTest.ts";

export const SHARED_DATA = path.resolve(ROOT, "../shared/data");

export type Half = "dev" | "holdout";
export const HALVES: Half[] = ["dev", "holdout"];

/** FNV-1a over the UTF-16 code units: stable across runs and platforms. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Which half a text belongs to: even hash → dev, odd → holdout. */
export function halfOf(text: string): Half {
  return fnv1a(text) % 2 === 0 ? "dev" : "holdout";
}

/** The absolute path of a shared data file, or null (with the reason printed once) when absent. */
export function sharedFile(rel: string, log: (m: string) => void = console.log): string | null {
  const abs = path.join(SHARED_DATA, rel);
  if (fs.existsSync(abs)) return abs;
  log(`  (skipped: ${path.relative(ROOT, abs)} not found; public data lives beside the repository, never in it)`);
  return null;
}

interface LabelledText {
  text: string;
  label: SentimentLabel;
}

export interface PublicSentimentHalf {
  n: number;
  accuracy: number;
  macroRecall: number;
  recall: Record<string, number>;
}

export interface PublicSentimentScores {
  /** English, 3 classes: macro-recall is the headline. */
  en?: Record<Half, PublicSentimentHalf>;
  /** Chinese, 2 classes: accuracy is the headline ("neutral" is wrong). */
  zh?: Record<Half, PublicSentimentHalf>;
}

function scoreRows(rows: LabelledText[], predict: (row: number) => SentimentLabel, labels: SentimentLabel[]): PublicSentimentHalf {
  const hit: Record<string, number> = {};
  const n: Record<string, number> = {};
  let correct = 0;
  for (const [i, r] of rows.entries()) {
    const p = predict(i);
    n[r.label] = (n[r.label] ?? 0) + 1;
    if (p === r.label) {
      hit[r.label] = (hit[r.label] ?? 0) + 1;
      correct++;
    }
  }
  const recall = Object.fromEntries(labels.map((l) => [l, (hit[l] ?? 0) / Math.max(1, n[l] ?? 0)]));
  return {
    n: rows.length,
    accuracy: correct / Math.max(1, rows.length),
    macroRecall: labels.reduce((s, l) => s + recall[l]!, 0) / labels.length,
    recall,
  };
}

export function loadPublicSentiment(file: "en-social-val.jsonl" | "zh-reviews-dev.jsonl", log?: (m: string) => void) {
  const abs = sharedFile(`sentiment/${file}`, log);
  if (!abs) return null;
  const rows = readJsonl<LabelledText>(abs);
  return { dev: rows.filter((r) => halfOf(r.text) === "dev"), holdout: rows.filter((r) => halfOf(r.text) === "holdout") };
}

/** The public sentiment sets read by the analyzer given (`npm run eval`: the configured one). */
export async function evalPublicSentiment(analyzer: SentimentAnalyzer, log?: (m: string) => void): Promise<PublicSentimentScores> {
  const out: PublicSentimentScores = {};
  const read = async (rows: LabelledText[], labels: SentimentLabel[]) => {
    const predicted = await labelAll(
      analyzer,
      rows.map((r) => r.text),
    );
    return scoreRows(rows, (i) => predicted[i]!, labels);
  };
  const en = loadPublicSentiment("en-social-val.jsonl", log);
  if (en)
    out.en = {
      dev: await read(en.dev, ["negative", "neutral", "positive"]),
      holdout: await read(en.holdout, ["negative", "neutral", "positive"]),
    };
  const zh = loadPublicSentiment("zh-reviews-dev.jsonl", log);
  if (zh)
    out.zh = {
      dev: await read(zh.dev, ["negative", "positive"]),
      holdout: await read(zh.holdout, ["negative", "positive"]),
    };
  return out;
}

/** CLINC150's in-scope banking and credit-card queries (train, val and test splits: 4,500). */
export function loadClincBanking(log?: (m: string) => void): Record<Half, string[]> | null {
  const dataFile = sharedFile("clinc150/data_full.json", log);
  const domainsFile = sharedFile("clinc150/domains.json", log);
  if (!dataFile || !domainsFile) return null;
  const data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as Record<string, Array<[string, string]>>;
  const domains = JSON.parse(fs.readFileSync(domainsFile, "utf8")) as Record<string, string[]>;
  const intents = new Set([...domains.banking!, ...domains.credit_cards!]);
  const texts = [...data.train!, ...data.val!, ...data.test!].filter(([, i]) => intents.has(i)).map(([t]) => t);
  return { dev: texts.filter((t) => halfOf(t) === "dev"), holdout: texts.filter((t) => halfOf(t) === "holdout") };
}

/**
 * Requests for a person, direct and indirect, in English and Chinese
 * (eval/data/handoff-requests.jsonl). "dev" rows were written before the handoff rules
 * and used while writing them; "holdout" rows were written afterwards. Measured once,
 * the holdout rows scored EN 85% and ZH 90%; the general causes of those five misses
 * were then fixed ("put me in touch with", "any humans around", "转给其他人", a bare 人,
 * "on the phone"), so they no longer measure generalisation: write fresh ones for that.
 */
export function loadHumanRequests(): Array<{ text: string; locale: string; half: Half }> {
  return readJsonl<{ text: string; locale: string; half: Half }>("handoff-requests.jsonl");
}
