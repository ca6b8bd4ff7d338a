import { offlineAssistant } from "./lib/harness.ts";
import { foldForMatch, loadAnswerSet, type AnswerSetName } from "./lib/answerSet.ts";
import { rankPassages, WEIGHTS, type PassageFeatures, type RankedPassage } from "../server/assistant/answering/rankPassages.ts";
import { followUpContext } from "../server/assistant/answering/followUp.ts";
import { pct } from "./lib/data.ts";

/**
 * Sets the passage ranker's weights (server/assistant/answering/rankPassages.ts) by
 * coordinate ascent on the DEVELOPMENT half of the blind answer set only: the share
 * of answerable questions whose top passage holds all of the answer's facts. Prints
 * the same figure on the holdout half for the chosen weights, never tuned on.
 * `node --import tsx eval/tuneRanking.ts [--sets a,b,c,d]` (the sets whose halves are
 * used together; set a alone by default, as the weights were first set).
 */
const SETS = (process.argv.includes("--sets") ? process.argv[process.argv.indexOf("--sets") + 1]! : "a").split(",") as AnswerSetName[];
const { ctx, runtime, close } = await offlineAssistant();
const items = SETS.flatMap((set) => loadAnswerSet(set)).filter((i) => i.kind === "answer");
type Prepared = { split: string; candidates: RankedPassage[]; good: boolean[] };
const prepared: Prepared[] = [];
for (const it of items) {
  const question = it.turns.at(-1)!;
  const context = followUpContext(question, it.turns.slice(0, -1));
  const candidates = await rankPassages(ctx.knowledge, question, { context, steer: runtime.steering(question) });
  const holds = (t: string) => {
    const f = foldForMatch(t);
    return it.facts.every((g) => g.some((s) => f.includes(foldForMatch(s))));
  };
  prepared.push({ split: it.split, candidates, good: candidates.map((c) => holds(`${c.heading}\n${c.text}`)) });
}
await close();

const keys = Object.keys(WEIGHTS) as Array<keyof PassageFeatures>;
function top1(w: PassageFeatures, split: string): number {
  const set = prepared.filter((p) => p.split === split);
  let ok = 0;
  for (const p of set) {
    let best = -Infinity;
    let good = false;
    p.candidates.forEach((c, i) => {
      let s = 0;
      for (const k of keys) s += w[k] * c.features[k];
      if (s > best) {
        best = s;
        good = p.good[i]!;
      }
    });
    if (good) ok++;
  }
  return ok / set.length;
}

let w = { ...WEIGHTS };
let best = top1(w, "dev");
console.log(`current weights: dev ${pct(best)}, holdout ${pct(top1(w, "holdout"))}`, w);
const steps = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3];
for (let round = 0; round < 4; round++) {
  let improved = false;
  for (const k of keys) {
    if (k === "search") continue; // the scale
    for (const v of steps) {
      const trial = { ...w, [k]: v };
      const s = top1(trial, "dev");
      if (s > best + 1e-9) {
        best = s;
        w = trial;
        improved = true;
      }
    }
  }
  if (!improved) break;
}
console.log(`tuned on dev: dev ${pct(best)}, holdout ${pct(top1(w, "holdout"))}`, w);
if (process.argv.includes("--recall")) {
  for (const split of ["dev", "holdout"]) {
    const set = prepared.filter((p) => p.split === split);
    console.log(split, "any candidate holds the facts:", pct(set.filter((p) => p.good.some(Boolean)).length / set.length));
  }
}
if (process.argv.includes("--show")) {
  const devItems = items.filter((i) => i.split === "dev");
  prepared
    .filter((p) => p.split === "dev")
    .forEach((p, n) => {
      if (p.good[0]) return;
      const g = p.good.indexOf(true);
      const f = (c: RankedPassage) =>
        Object.values(c.features)
          .map((x) => x.toFixed(2))
          .join(" ");
      console.log(`\n${devItems[n]!.turns.join(" / ")}  facts=${JSON.stringify(devItems[n]!.facts)}`);
      console.log(`  top : ${p.candidates[0]!.heading} [${f(p.candidates[0]!)}]`);
      if (g >= 0) console.log(`  good@${g}: ${p.candidates[g]!.heading} [${f(p.candidates[g]!)}]`);
    });
}
if (process.argv.includes("--extract")) {
  const { extractAnswer } = await import("../server/assistant/answering/extractAnswer.ts");
  const devItems = items.filter((i) => i.split === "dev");
  let goodTop = 0;
  let extracted = 0;
  prepared
    .filter((p) => p.split === "dev")
    .forEach((p, n) => {
      if (!p.good[0]) return;
      goodTop++;
      const it = devItems[n]!;
      const text = extractAnswer(p.candidates[0]!, it.lang);
      const f = foldForMatch(text);
      const ok = it.facts.every((g) => g.some((s) => f.includes(foldForMatch(s))));
      if (ok) extracted++;
      else if (process.argv.includes("-v"))
        console.log(
          `\n# ${it.turns.join(" / ")} ${JSON.stringify(it.facts)}\n${text}\n--- passage:\n${p.candidates[0]!.text.slice(0, 600)}`,
        );
    });
  console.log(`dev: top passage holds the facts ${goodTop}; the extracted answer keeps them ${extracted}`);
}
if (process.argv.includes("--gate")) {
  // Answer-or-decline on the development half: each threshold pair's correct, wrong and declined.
  const { extractAnswer } = await import("../server/assistant/answering/extractAnswer.ts");
  const { offlineAssistant: again } = await import("./lib/harness.ts");
  const h = await again();
  const rows: Array<{ kind: string; article: number; unit: number; correct: boolean; margin: number; question: number }> = [];
  for (const it of loadAnswerSet().filter((i) => i.split === "dev")) {
    const question = it.turns.at(-1)!;
    const context = followUpContext(question, it.turns.slice(0, -1));
    const ranked = await rankPassages(h.ctx.knowledge, question, { context, steer: h.runtime.steering(question) });
    const top = ranked[0];
    if (!top) continue;
    const margin = top.rank - (ranked[1]?.rank ?? 0);
    const f = foldForMatch(extractAnswer(top, it.lang));
    const correct = it.kind === "answer" && it.facts.every((g) => g.some((s) => f.includes(foldForMatch(s))));
    if (process.argv.includes("zh") !== (it.lang === "zh")) continue;
    rows.push({ kind: it.kind, article: top.features.article, unit: top.features.unit, correct, margin, question: top.features.question });
  }
  await h.close();
  const ans = rows.filter((r) => r.kind === "answer");
  const dec = rows.filter((r) => r.kind === "decline");
  const zh = process.argv.includes("zh");
  for (const a of zh ? [0.25] : [0.33])
    for (const u of [0.2])
      for (const q of [0.4, 0.5, 0.6, 0.7, 0.8, 1.01]) {
        const m = 0;
        const ok = (r: (typeof rows)[number]) => ((r.article >= a && r.unit >= u) || r.question >= q) && r.margin >= m;
        const c = ans.filter((r) => ok(r) && r.correct).length;
        const w = ans.filter((r) => ok(r) && !r.correct).length;
        const dw = dec.filter(ok).length;
        console.log(
          `article>=${a} unit>=${u} or question>=${q}: correct ${pct(c / ans.length)} wrong ${pct(w / ans.length)} | must-decline answered ${pct(dw / dec.length)} | wrong share of answers ${pct((w + dw) / Math.max(1, c + w + dw))}`,
        );
      }
}
if (process.argv.includes("--where")) {
  const devItems = items.filter((i) => i.split === "dev");
  const c = { right: 0, sameArticle: 0, otherArticle: 0, goodArticleInCandidates: 0 };
  prepared
    .filter((p) => p.split === "dev")
    .forEach((p, n) => {
      if (p.good[0]) return void c.right++;
      const src = devItems[n]!.source;
      if (p.candidates[0]!.path === src) c.sameArticle++;
      else c.otherArticle++;
    });
  console.log("dev top passage:", c);
}
if (process.argv.includes("--conf")) {
  // Which signals tell a right answer from a wrong one (dev half; ROC AUC, 0.5 = none)?
  const { extractAnswer } = await import("../server/assistant/answering/extractAnswer.ts");
  const { kindMatch, askedKinds } = await import("../server/assistant/answering/answerType.ts");
  const devItems = items.filter((i) => i.split === "dev");
  const rows: Array<{ y: boolean; s: Record<string, number> }> = [];
  prepared
    .filter((p) => p.split === "dev")
    .forEach((p, n) => {
      const it = devItems[n]!;
      const [a, b] = p.candidates;
      const f = foldForMatch(extractAnswer(a!, it.lang));
      const y = it.facts.every((g) => g.some((s) => f.includes(foldForMatch(s))));
      const searchTop = [...p.candidates].sort((x, z) => z.score - x.score)[0]!;
      const asked = askedKinds(it.turns.at(-1)!);
      rows.push({
        y,
        s: {
          rank: a!.rank,
          margin: a!.rank - (b?.rank ?? 0),
          marginOtherArticle: a!.rank - (p.candidates.find((c) => c.path !== a!.path)?.rank ?? 0),
          agree: searchTop.passageId === a!.passageId ? 1 : 0,
          unit: a!.features.unit,
          unitKind: a!.features.unitKind,
          article: a!.features.article,
          heading: a!.features.heading,
          leadKind: asked.size ? kindMatch(asked, a!.units[a!.best]!.text) : 0.5,
          leadScore: a!.unitScores[a!.best] ?? 0,
          question: a!.features.question,
        },
      });
    });
  const auc = (k: string) => {
    const pos = rows.filter((r) => r.y).map((r) => r.s[k]!);
    const neg = rows.filter((r) => !r.y).map((r) => r.s[k]!);
    let w = 0;
    for (const x of pos) for (const z of neg) w += x > z ? 1 : x === z ? 0.5 : 0;
    return w / (pos.length * neg.length);
  };
  console.log(`dev answerable: ${rows.filter((r) => r.y).length} right, ${rows.filter((r) => !r.y).length} wrong`);
  for (const k of Object.keys(rows[0]!.s)) console.log(`  ${k.padEnd(20)} AUC ${auc(k).toFixed(3)}`);
}
if (process.argv.includes("--same")) {
  const devItems = items.filter((i) => i.split === "dev");
  const f = (c: RankedPassage) =>
    Object.entries(c.features)
      .map(([k, v]) => `${k}=${v.toFixed(2)}`)
      .join(" ");
  prepared
    .filter((p) => p.split === "dev")
    .forEach((p, n) => {
      const it = devItems[n]!;
      if (p.good[0] || p.candidates[0]!.path !== it.source) return;
      const g = p.good.indexOf(true);
      console.log(`\n# ${it.turns.join(" / ")}  ${JSON.stringify(it.facts)}`);
      for (const c of [p.candidates[0]!, p.candidates[g]!]) {
        if (!c) continue;
        console.log(
          `  ${c === p.candidates[0] ? "TOP " : `GOOD@${g}`} ${c.heading.split(" › ").slice(1).join(" › ") || "(opening)"}  rank=${c.rank.toFixed(2)} ${f(c)}`,
        );
        console.log(`       lead: ${c.units[c.best]?.text.slice(0, 120)}`);
      }
    });
}
