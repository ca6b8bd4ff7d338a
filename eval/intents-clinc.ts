/**
 * Dev check that the intent classifier generalises beyond our own examples, on the
 * public CLINC150 data set (Larson et al., 2019; CC BY 3.0), which is NOT shipped
 * with BankDesk: pass its data_full.json with --data (default
 * ../shared/data/clinc150/data_full.json relative to the repository).
 *
 *   npx tsx eval/intents-clinc.ts                 # CLINC banking + credit_cards, 10-shot and full
 *   npx tsx eval/intents-clinc.ts --own           # also our eval/data/{intents,sentiment}.jsonl (measure only!)
 *   npx tsx eval/intents-clinc.ts --sentiment     # sentiment threshold check on CLINC requests
 *
 * Only the 30 banking and credit-card intents are used: train on k examples per
 * intent, test on their test split plus CLINC's 1,000 out-of-scope test queries.
 * A word TF-IDF 1-nearest-neighbour baseline is reported alongside.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IntentClassifier, type IntentClassifierOptions, type TrainableIntent } from "../server/assistant/intents/classifier.ts";
import { extractFeatures, normalizeText } from "../server/assistant/intents/features.ts";
import { mulberry32 } from "../server/assistant/intents/linear.ts";
import { loadIntents, OUT_OF_SCOPE } from "../server/assistant/intents/load.ts";
import { TfidfVectorizer, dot } from "../server/assistant/intents/vectorizer.ts";
import { LexiconSentiment } from "../server/assistant/sentiment/analyzer.ts";

type Row = [string, string];
interface Clinc {
  train: Row[];
  val: Row[];
  test: Row[];
  oos_train: Row[];
  oos_val: Row[];
  oos_test: Row[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataDir = path.dirname(arg("--data") ?? path.resolve(root, "../shared/data/clinc150/data_full.json"));
const data = JSON.parse(fs.readFileSync(path.join(dataDir, "data_full.json"), "utf8")) as Clinc;
const domains = JSON.parse(fs.readFileSync(path.join(dataDir, "domains.json"), "utf8")) as Record<string, string[]>;
const INTENTS = new Set([...domains.banking!, ...domains.credit_cards!]);

interface Scores {
  inScopeAcc: number;
  closedAcc: number;
  oosRecall: number;
  oosPrecision: number;
  /** Wall-clock and CPU time; the CPU figure is the stable one on a busy machine. */
  trainMs: number;
  trainCpuMs: number;
  usPerMessage: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

function pct(x: number): string {
  return (100 * x).toFixed(1) + "%";
}

function evaluate(train: TrainableIntent[], test: Row[], options: IntentClassifierOptions): Scores {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const clf = IntentClassifier.train(train, options);
  const trainCpuMs = cpuMs(c0);
  const trainMs = performance.now() - t0;
  let inOk = 0;
  let closedOk = 0;
  let inN = 0;
  let oosN = 0;
  let oosHit = 0;
  let oosPred = 0;
  const c1 = process.cpuUsage();
  for (const [text, gold] of test) {
    const r = clf.classify(text);
    const isOos = gold === "oos";
    if (r.name === OUT_OF_SCOPE) oosPred++;
    if (isOos) {
      oosN++;
      if (r.name === OUT_OF_SCOPE) oosHit++;
    } else {
      inN++;
      if (r.name === gold) inOk++;
      if (r.ranking[0]?.name === gold) closedOk++;
    }
  }
  const usPerMessage = (cpuMs(c1) * 1000) / test.length;
  return {
    inScopeAcc: inOk / inN,
    closedAcc: closedOk / inN,
    oosRecall: oosHit / oosN,
    oosPrecision: oosPred ? oosHit / oosPred : 0,
    trainMs,
    trainCpuMs,
    usPerMessage,
  };
}

/** Word TF-IDF cosine 1-NN, the baseline the issue quotes (closed-set accuracy). */
function nearestNeighbour(train: TrainableIntent[], test: Row[]): number {
  const wordsOnly = (t: string) => new Map([...extractFeatures(normalizeText(t))].filter(([k]) => k[0] === "w"));
  const ex = train.flatMap((i) => i.examples.map((e) => ({ name: i.name, f: wordsOnly(e) })));
  const vec = new TfidfVectorizer({ wordShare: 1 }).fit(ex.map((e) => e.f));
  const X = ex.map((e) => vec.transform(e.f));
  let ok = 0;
  let n = 0;
  for (const [text, gold] of test) {
    if (gold === "oos") continue;
    n++;
    const q = vec.transform(wordsOnly(text));
    let best = -1;
    let name = "";
    X.forEach((x, i) => {
      const s = dot(q, x);
      if (s > best) [best, name] = [s, ex[i]!.name];
    });
    if (name === gold) ok++;
  }
  return ok / n;
}

function clincTrain(k: number, seed: number): TrainableIntent[] {
  const by = new Map<string, string[]>();
  for (const [t, i] of data.train) if (INTENTS.has(i)) by.set(i, [...(by.get(i) ?? []), t]);
  const rand = mulberry32(seed);
  return [...by].map(([name, ex]) => {
    const shuffled = [...ex];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return { name, action: "answer", examples: shuffled.slice(0, k) };
  });
}

const clincTest: Row[] = [...data.test.filter(([, i]) => INTENTS.has(i)), ...data.oos_test.map(([t]) => [t, "oos"] as Row)];

function mean(xs: Scores[]): Scores {
  const keys = Object.keys(xs[0]!) as Array<keyof Scores>;
  return Object.fromEntries(keys.map((k) => [k, xs.reduce((s, x) => s + x[k], 0) / xs.length])) as unknown as Scores;
}

function line(label: string, s: Scores, nn?: number): string {
  return (
    `${label.padEnd(34)} in-scope acc ${pct(s.inScopeAcc)}  closed-set acc ${pct(s.closedAcc)}  OOS recall ${pct(s.oosRecall)}  ` +
    `OOS precision ${pct(s.oosPrecision)}  train ${s.trainMs.toFixed(0)} ms (CPU ${s.trainCpuMs.toFixed(0)} ms)  classify ${s.usPerMessage.toFixed(0)} µs CPU/msg` +
    (nn !== undefined ? `  | TF-IDF 1-NN closed-set ${pct(nn)}` : "")
  );
}

const configs: Array<[string, IntentClassifierOptions]> = [
  ["built-in background", {}],
  ["no background (threshold only)", { background: false }],
];

console.log(
  `CLINC150 banking + credit_cards: ${INTENTS.size} intents, test ${clincTest.filter((r) => r[1] !== "oos").length} in-scope + ${data.oos_test.length} out-of-scope`,
);
for (const k of [10, 100]) {
  const seeds = k === 100 ? [1] : [1, 2, 3, 4, 5];
  for (const [label, options] of configs) {
    const runs = seeds.map((s) => evaluate(clincTrain(k, s), clincTest, options));
    const nn = seeds.map((s) => nearestNeighbour(clincTrain(k, s), clincTest)).reduce((a, b) => a + b, 0) / seeds.length;
    console.log(line(`${k === 100 ? "full (100/intent)" : `${k}-shot x${seeds.length} seeds`}, ${label}`, mean(runs), nn));
  }
}

if (args.includes("--own")) {
  const intents = await loadIntents(path.join(root, "knowledge/intents"), { onWarning: (m) => console.warn(m) });
  const rows = fs
    .readFileSync(path.join(root, "eval/data/intents.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { text: string; intent: string; locale: string });
  IntentClassifier.train(intents); // warm-up (JIT), as in a long-running server
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const clf = IntentClassifier.train(intents);
  const trainCpu = cpuMs(c0);
  const trainMs = performance.now() - t0;
  console.log(
    `\nOwn intents: ${intents.length} intents, ${intents.reduce((s, i) => s + i.examples.length, 0)} examples; ` +
      `trained in ${trainMs.toFixed(0)} ms (CPU ${trainCpu.toFixed(0)} ms)`,
    clf.calibration,
  );
  for (const locale of ["en", "zh", "all"]) {
    const rs = rows.filter((r) => locale === "all" || r.locale === locale);
    let inN = 0;
    let inOk = 0;
    let oosN = 0;
    let oosHit = 0;
    let oosPred = 0;
    const c1 = process.cpuUsage();
    for (const r of rs) {
      const p = clf.classify(r.text);
      if (p.name === OUT_OF_SCOPE) oosPred++;
      if (r.intent === OUT_OF_SCOPE) {
        oosN++;
        if (p.name === OUT_OF_SCOPE) oosHit++;
      } else {
        inN++;
        if (p.name === r.intent) inOk++;
      }
    }
    const us = (cpuMs(c1) * 1000) / rs.length;
    console.log(
      `${locale.padEnd(4)} in-scope acc ${pct(inOk / inN)} (${inOk}/${inN})  OOS recall ${pct(oosHit / oosN)} (${oosHit}/${oosN})  ` +
        `OOS precision ${pct(oosPred ? oosHit / oosPred : 0)}  overall acc ${pct((inOk + oosHit) / rs.length)}  ${us.toFixed(0)} µs CPU/msg`,
    );
  }
}

if (args.includes("--own")) {
  const rows = fs
    .readFileSync(path.join(root, "eval/data/sentiment.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { text: string; label: string; locale: string });
  const analyzer = new LexiconSentiment();
  const labels = ["negative", "neutral", "positive"];
  console.log("\nSentiment on eval/data/sentiment.jsonl:");
  for (const locale of ["en", "zh", "all"]) {
    const rs = rows.filter((r) => locale === "all" || r.locale === locale);
    const predicted = rs.map((r) => analyzer.analyze(r.text).label);
    const recall = labels.map((l) => {
      const idx = rs.map((r, i) => (r.label === l ? i : -1)).filter((i) => i >= 0);
      return idx.filter((i) => predicted[i] === l).length / idx.length;
    });
    const acc = rs.filter((r, i) => predicted[i] === r.label).length / rs.length;
    const macro = recall.reduce((a, b) => a + b, 0) / labels.length;
    console.log(
      `${locale.padEnd(4)} accuracy ${pct(acc)}  macro-recall ${pct(macro)}  (${labels.map((l, i) => `${l} ${pct(recall[i]!)}`).join(", ")})`,
    );
  }
}

if (args.includes("--sentiment")) {
  const s = new LexiconSentiment();
  const requests = [...data.train, ...data.val, ...data.test].filter(([, i]) => INTENTS.has(i));
  const abs = requests.map(([t]) => Math.abs(s.analyze(t).score)).sort((a, b) => a - b);
  const q = (p: number) => abs[Math.floor(p * (abs.length - 1))]!.toFixed(3);
  console.log(`\nSentiment |score| on ${abs.length} CLINC banking/credit-card requests: p90 ${q(0.9)} p95 ${q(0.95)} p99 ${q(0.99)}`);
  for (const t of [0.15, 0.2, 0.25, 0.3])
    console.log(`  threshold ${t}: ${pct(abs.filter((a) => a >= t).length / abs.length)} labelled non-neutral`);
}
