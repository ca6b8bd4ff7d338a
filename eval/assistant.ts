import { IntentClassifier } from "../server/assistant/intents/classifier.ts";
import { loadIntents } from "../server/assistant/intents/load.ts";
import { LexiconSentiment, type SentimentAnalyzer } from "../server/assistant/sentiment/index.ts";
import { labelAll } from "./lib/sentimentUnderTest.ts";
import { units } from "../server/assistant/answering/units.ts";
import { linksAsText } from "../server/assistant/answering/articleLinks.ts";
import path from "node:path";
import { ROOT, readJsonl } from "./lib/data.ts";
import { offlineAssistant } from "./lib/harness.ts";
import type { AssistantReply } from "../server/assistant/types.ts";

export interface IntentScores {
  n: number;
  accuracy: number;
  inScopeAccuracy: number;
  oosPrecision: number;
  oosRecall: number;
  byLocale: Record<string, number>;
}

export async function evalIntents(): Promise<IntentScores> {
  const clf = IntentClassifier.train(await loadIntents(path.join(ROOT, "knowledge/intents")));
  const rows = readJsonl<{ text: string; intent: string; locale: string }>("intents.jsonl");
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oosPredicted = 0;
  let oosTrue = 0;
  let oosHit = 0;
  const loc: Record<string, [number, number]> = {};
  for (const r of rows) {
    const p = clf.classify(r.text).name;
    const ok = p === r.intent;
    correct += ok ? 1 : 0;
    (loc[r.locale] ??= [0, 0])[0] += ok ? 1 : 0;
    loc[r.locale]![1]++;
    if (r.intent !== "out_of_scope") {
      inScope++;
      inScopeCorrect += ok ? 1 : 0;
    } else oosTrue++;
    if (p === "out_of_scope") {
      oosPredicted++;
      if (r.intent === "out_of_scope") oosHit++;
    }
  }
  return {
    n: rows.length,
    accuracy: correct / rows.length,
    inScopeAccuracy: inScopeCorrect / inScope,
    oosPrecision: oosPredicted ? oosHit / oosPredicted : 0,
    oosRecall: oosTrue ? oosHit / oosTrue : 0,
    byLocale: Object.fromEntries(Object.entries(loc).map(([k, [c, n]]) => [k, c / n])),
  };
}

export interface SentimentScores {
  n: number;
  accuracy: number;
  macroRecall: number;
  recall: Record<string, number>;
  byLocale: Record<string, { accuracy: number; macroRecall: number }>;
  confusion: Record<string, Record<string, number>>;
}

/** Our own labelled set (eval/data/sentiment.jsonl), read by the analyzer given (the configured one in `npm run eval`). */
export async function evalSentiment(analyzer: SentimentAnalyzer = new LexiconSentiment()): Promise<SentimentScores> {
  const rows = readJsonl<{ text: string; label: string; locale: string }>("sentiment.jsonl");
  const read = await labelAll(
    analyzer,
    rows.map((r) => r.text),
  );
  const labelled = rows.map((r, i) => ({ ...r, predicted: read[i]! }));
  const labels = ["negative", "neutral", "positive"];
  const score = (subset: typeof labelled) => {
    const confusion: Record<string, Record<string, number>> = Object.fromEntries(
      labels.map((l) => [l, Object.fromEntries(labels.map((m) => [m, 0]))]),
    );
    for (const r of subset) confusion[r.label]![r.predicted]!++;
    const recall = Object.fromEntries(
      labels.map((l) => [
        l,
        confusion[l]![l]! /
          Math.max(
            1,
            Object.values(confusion[l]!).reduce((a, b) => a + b, 0),
          ),
      ]),
    );
    const correct = labels.reduce((n, l) => n + confusion[l]![l]!, 0);
    return {
      accuracy: correct / subset.length,
      macroRecall: labels.reduce((s, l) => s + recall[l]!, 0) / labels.length,
      recall,
      confusion,
    };
  };
  const all = score(labelled);
  const locales = [...new Set(rows.map((r) => r.locale))];
  return {
    n: rows.length,
    ...all,
    byLocale: Object.fromEntries(
      locales.map((l) => {
        const s = score(labelled.filter((r) => r.locale === l));
        return [l, { accuracy: s.accuracy, macroRecall: s.macroRecall }];
      }),
    ),
  };
}

export interface HandoffScores {
  n: number;
  precision: number;
  recall: number;
  falseHandoffs: number;
  byReason: Record<string, { n: number; recall: number; reasonMatch: number }>;
}

export interface AnswerScores {
  /** Answerable questions (retrieval sets) that got an answer rather than a refusal. */
  answeredRate: number;
  /** Of those, answers citing the labelled article. */
  citedCorrectRate: number;
  /** Unanswerable questions (refusal set) that were declined (or handed off). */
  refusalRate: number;
  /**
   * The same two rates on each half: `dev` (retrieval-a, even lines of the refusal
   * set) is where the evidence threshold was chosen, `holdout` (retrieval-b, odd
   * lines) checks it.
   */
  halves: Record<"dev" | "holdout", { answeredRate: number; refusalRate: number }>;
  /** How well the answer confidence ranks answerable above unanswerable questions (ROC AUC). */
  confidenceAuc: number;
  /** Share of offline answers whose every sentence is verbatim in a cited passage. */
  groundedRate: number;
  replyLatencyMs: { p50: number; p95: number };
}

/** Our own handoff set (eval/data/handoff.jsonl): first messages labelled handoff or not, with the reason. */
export async function scoreHandoffSet(respond: (text: string) => Promise<AssistantReply>): Promise<HandoffScores> {
  const handoffRows = readJsonl<{ text: string; handoff: boolean; reason: string | null }>("handoff.jsonl");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const byReason: Record<string, { n: number; hit: number; match: number }> = {};
  for (const r of handoffRows) {
    const out = await respond(r.text);
    if (r.handoff) {
      const b = (byReason[r.reason ?? "?"] ??= { n: 0, hit: 0, match: 0 });
      b.n++;
      if (out.handoff.needed) {
        tp++;
        b.hit++;
        if (out.handoff.reason === r.reason) b.match++;
      } else fn++;
    } else if (out.handoff.needed) fp++;
  }
  return {
    n: handoffRows.length,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    falseHandoffs: fp,
    byReason: Object.fromEntries(
      Object.entries(byReason).map(([k, v]) => [k, { n: v.n, recall: v.hit / v.n, reasonMatch: v.match / v.n }]),
    ),
  };
}

export async function evalAssistant(): Promise<{ handoff: HandoffScores; answers: AnswerScores }> {
  const { ctx, runtime, close } = await offlineAssistant();
  const respond = (text: string) => runtime.assistant.respond({ text, verifiedCustomerId: null, botState: {}, history: [] });
  const declined = (r: AssistantReply) => r.trace.some((t) => (t.step === "evidence" && !t.enough) || (t.step === "answer" && t.declined));
  try {
    const handoff = await scoreHandoffSet(respond);

    const answerable = [
      ...readJsonl<{ text: string; path: string }>("retrieval-a.jsonl").map((q) => ({ ...q, half: "dev" as const })),
      ...readJsonl<{ text: string; path: string }>("retrieval-b.jsonl").map((q) => ({ ...q, half: "holdout" as const })),
    ];
    const halves = { dev: { a: 0, an: 0, r: 0, rn: 0 }, holdout: { a: 0, an: 0, r: 0, rn: 0 } };
    const confidenceOf = (r: AssistantReply) => r.trace.find((t) => t.step === "evidence")?.confidence as number | undefined;
    const covAnswerable: number[] = [];
    const covUnanswerable: number[] = [];
    let answered = 0;
    let cited = 0;
    let grounded = 0;
    const latencies: number[] = [];
    for (const q of answerable) {
      const t0 = performance.now();
      const out = await respond(q.text);
      latencies.push(performance.now() - t0);
      halves[q.half].an++;
      const cov = confidenceOf(out);
      if (cov !== undefined) covAnswerable.push(cov);
      if (out.handoff.needed || declined(out) || !out.citations.length) continue;
      answered++;
      halves[q.half].a++;
      if (out.citations.some((c) => c.path === q.path)) cited++;
      if (await isGrounded(ctx, out)) grounded++;
    }
    const unanswerable = readJsonl<{ text: string }>("refusal.jsonl");
    let refused = 0;
    for (const [i, q] of unanswerable.entries()) {
      const out = await respond(q.text);
      const half = i % 2 === 0 ? "dev" : "holdout";
      halves[half].rn++;
      const cov = confidenceOf(out);
      if (cov !== undefined) covUnanswerable.push(cov);
      if (out.handoff.needed || declined(out)) {
        refused++;
        halves[half].r++;
      }
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]! * 10) / 10;
    return {
      handoff,
      answers: {
        answeredRate: answered / answerable.length,
        citedCorrectRate: answered ? cited / answered : 0,
        refusalRate: refused / unanswerable.length,
        halves: {
          dev: { answeredRate: halves.dev.a / halves.dev.an, refusalRate: halves.dev.r / halves.dev.rn },
          holdout: { answeredRate: halves.holdout.a / halves.holdout.an, refusalRate: halves.holdout.r / halves.holdout.rn },
        },
        confidenceAuc: rocAuc(covAnswerable, covUnanswerable),
        groundedRate: answered ? grounded / answered : 0,
        replyLatencyMs: { p50: pct(0.5), p95: pct(0.95) },
      },
    };
  } finally {
    await close();
  }
}

/** Probability that a random positive scores above a random negative (ties count half). */
function rocAuc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return pos.length && neg.length ? wins / (pos.length * neg.length) : 0;
}

/** Every sentence of the answer occurs verbatim in a cited passage. */
async function isGrounded(
  ctx: { db: { query<T>(sql: string, p?: unknown[]): Promise<{ rows: T[] }> } },
  out: AssistantReply,
): Promise<boolean> {
  const body = out.reply;
  const { rows } = await ctx.db.query<{ text: string }>(
    "SELECT p.text FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id WHERE a.path = ANY($1::text[])",
    [out.citations.map((c) => c.path)],
  );
  // Markdown line breaks inside a paragraph are spaces: compare with whitespace folded.
  // Links are compared by their words: a reply points them at the articles' pages.
  const fold = (t: string) =>
    linksAsText(t)
      .replace(/\s+/g, " ")
      .replace(/([\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, "$1");
  const source = fold(rows.map((r) => r.text).join("\n"));
  return units(body).every((u) => source.includes(fold(u.text)));
}
