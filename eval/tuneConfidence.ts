import { offlineAssistant } from "./lib/harness.ts";
import { grade, loadAnswerSet, type AnswerSetName } from "./lib/answerSet.ts";
import { rankPassages } from "../server/assistant/answering/rankPassages.ts";
import { followUpContext } from "../server/assistant/answering/followUp.ts";
import {
  answerConfidence,
  confidenceFeatures,
  MIN_CONFIDENCE,
  type Coefficients,
  type ConfidenceFeatures,
} from "../server/assistant/answering/confidence.ts";
import { OfflineGenerator } from "../server/assistant/generators/OfflineGenerator.ts";
import { showsFactAsked } from "../server/assistant/answering/answerType.ts";
import { pct } from "./lib/data.ts";
import type { Language } from "../server/assistant/language.ts";

/**
 * Fits the answer-or-decline model (server/assistant/answering/confidence.ts) on the
 * DEVELOPMENT half of the blind answer set: logistic regression of "the offline
 * reply holds every fact" (must-decline questions: never) on the confidence
 * features, L2-regularised, on standardised features. Twice: over the demo
 * knowledge base as it is, and without its sample questions (a bank's own articles
 * before its content team writes any). Prints the coefficients and, per threshold,
 * correct / wrong / declined on dev and on the holdout half (never fitted on).
 * `node --import tsx eval/tuneConfidence.ts`
 */
type Row = { set: AnswerSetName; split: string; lang: string; kind: string; y: number; x: ConfidenceFeatures; declinedAnyway: boolean };

/**
 * The answer sets fitted on (their development halves together) and reported:
 * `--sets a,b`. Set a alone by default, as the coefficients were first fitted.
 */
const SETS = (process.argv.includes("--sets") ? process.argv[process.argv.indexOf("--sets") + 1]! : "a").split(",") as AnswerSetName[];

async function collect(withoutSampleQuestions: boolean): Promise<Row[]> {
  const { ctx, runtime, close } = await offlineAssistant({ withoutSampleQuestions });
  const generator = new OfflineGenerator();
  const rows: Row[] = [];
  for (const it of SETS.flatMap((set) => loadAnswerSet(set).map((item) => ({ ...item, set })))) {
    const question = it.turns.at(-1)!;
    const context = followUpContext(question, it.turns.slice(0, -1));
    const ranked = await rankPassages(ctx.knowledge, question, { context, steer: context ? undefined : runtime.steering(question) });
    const x = confidenceFeatures(ranked, question, it.lang, Boolean(context));
    if (!x) continue;
    const r = await generator.generate({ question, language: it.lang, passages: ranked.slice(0, 3), history: [] });
    // A reply the assistant declines whatever the confidence (the generator found no
    // answer in the passages, or it lacks the kind of fact asked: Assistant.answer)
    // costs a decline, not a wrong answer. The model is still fitted on them (as wrong):
    // leaving them out made no difference (cross-validated cost 246 against 244 on the
    // three sets' dev halves; 310 against 321 without sample questions).
    const declinedAnyway = r.declined || !showsFactAsked(question, r.text);
    const y = !r.declined && grade(it, { text: r.text, answered: true }) === "correct" ? 1 : 0;
    rows.push({ set: it.set, split: it.split, lang: it.lang, kind: it.kind, y, x, declinedAnyway });
  }
  await close();
  return rows;
}

function fit(rows: Row[], opts: { quiet?: boolean } = {}): Coefficients {
  const keys = (Object.keys(rows[0]!.x) as Array<keyof ConfidenceFeatures>).filter((k) => !DROP.has(k));
  const dev = rows.filter((r) => r.split === "dev");
  const mean = Object.fromEntries(keys.map((k) => [k, dev.reduce((s, r) => s + r.x[k], 0) / dev.length])) as Record<string, number>;
  const sd = Object.fromEntries(
    keys.map((k) => [k, Math.sqrt(dev.reduce((s, r) => s + (r.x[k] - mean[k]!) ** 2, 0) / dev.length) || 1]),
  ) as Record<string, number>;
  const lambda = Number(process.env.LAMBDA ?? 1);
  let w = keys.map(() => 0);
  let b = 0;
  for (let iter = 0; iter < 5000; iter++) {
    const gw = keys.map(() => 0);
    let gb = 0;
    for (const r of dev) {
      const z = b + keys.reduce((s, k, j) => s + w[j]! * ((r.x[k] - mean[k]!) / sd[k]!), 0);
      const e = 1 / (1 + Math.exp(-z)) - r.y;
      keys.forEach((k, j) => (gw[j]! += e * ((r.x[k] - mean[k]!) / sd[k]!)));
      gb += e;
    }
    w = w.map((v, j) => v - 0.1 * (gw[j]! / dev.length + (lambda * v) / dev.length));
    b -= 0.1 * (gb / dev.length);
  }
  const raw: Record<string, number> = { intercept: b - keys.reduce((s, k, j) => s + (w[j]! * mean[k]!) / sd[k]!, 0) };
  keys.forEach((k, j) => (raw[k] = w[j]! / sd[k]!));
  for (const k of DROP) raw[k] = 0;
  if (opts.quiet) return raw as unknown as Coefficients;
  console.log("  coefficients (raw features; standardised in comments):");
  console.log(`    intercept: ${raw.intercept!.toFixed(3)},`);
  keys.forEach((k, j) => console.log(`    ${k}: ${raw[k]!.toFixed(3)}, // ${w[j]!.toFixed(2)}`));
  return raw as unknown as Coefficients;
}

function report(rows: Row[], coef: Coefficients, chosen: Record<Language, number>) {
  for (const name of SETS)
    for (const split of ["dev", "holdout"])
      for (const lang of ["en", "zh"] as const) {
        const set = rows.filter((r) => r.set === name && r.split === split && r.lang === lang);
        const ans = set.filter((r) => r.kind === "answer");
        const dec = set.filter((r) => r.kind === "decline");
        console.log(
          `  set ${name} ${split} ${lang} (answerable ${ans.length}, must-decline ${dec.length}); the top passage's reply is right for ${pct(ans.filter((r) => r.y).length / ans.length)}`,
        );
        let best = { t: 0, cost: Infinity };
        for (const t of THRESHOLDS) {
          const ok = (r: Row) => !r.declinedAnyway && answerConfidence(r.x, coef) >= t;
          const c = ans.filter((r) => ok(r) && r.y).length;
          const wr = ans.filter((r) => ok(r) && !r.y).length;
          // What the threshold costs: a wrong answer (or an answered must-decline question) counts three declines.
          const cost = 3 * wr + (ans.length - c - wr) + 3 * dec.filter(ok).length;
          if (cost < best.cost) best = { t, cost };
          console.log(
            `    ${t === chosen[lang] ? "*" : " "}>= ${t}: correct ${pct(c / ans.length)} wrong ${pct(wr / ans.length)} declined ${pct(1 - (c + wr) / ans.length)} | must-decline declined ${pct(dec.filter((r) => !ok(r)).length / Math.max(1, dec.length))} | cost ${cost}`,
          );
        }
        if (split === "dev") console.log(`    least cost on dev: >= ${best.t}`);
      }
}

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
/** Features left out (`--drop a,b`): to compare models by their cross-validated cost on dev. */
const DROP = new Set((process.argv.includes("--drop") ? process.argv[process.argv.indexOf("--drop") + 1]! : "").split(",").filter(Boolean));

/**
 * Which features earn their place is decided on dev alone: five-fold cross-validation
 * over the dev rows (each row's probability from a model fitted without its fold),
 * then each language's least cost over the thresholds. The holdout is not looked at.
 */
function crossValidatedCost(rows: Row[]): void {
  const dev = rows.filter((r) => r.split === "dev");
  const folds = 5;
  const p = new Map<Row, number>();
  for (let f = 0; f < folds; f++) {
    const coef = fit(
      dev.map((r, i) => ({ ...r, split: i % folds === f ? "out" : "dev" })),
      { quiet: true },
    );
    dev.forEach((r, i) => i % folds === f && p.set(r, r.declinedAnyway ? 0 : answerConfidence(r.x, coef)));
  }
  const parts: string[] = [];
  let total = 0;
  for (const lang of ["en", "zh"] as const) {
    const set = dev.filter((r) => r.lang === lang);
    let best = { t: 0, cost: Infinity };
    for (const t of THRESHOLDS) {
      const cost = set.reduce((c, r) => c + (p.get(r)! >= t ? (r.y ? 0 : 3) : r.kind === "answer" ? 1 : 0), 0);
      if (cost < best.cost) best = { t, cost };
    }
    total += best.cost;
    parts.push(`${lang} ${best.cost} at >= ${best.t}`);
  }
  console.log(`  cross-validated on dev (five folds), least cost: ${parts.join(", ")}; both ${total}`);
}

for (const without of [false, true]) {
  console.log(without ? "\nWithout sample questions (COEFFICIENTS_WITHOUT_QUESTIONS):" : "With the sample questions (COEFFICIENTS):");
  const rows = await collect(without);
  crossValidatedCost(rows);
  report(rows, fit(rows), without ? MIN_CONFIDENCE.withoutQuestions : MIN_CONFIDENCE.withQuestions);
}
