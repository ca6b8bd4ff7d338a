import { pathToFileURL } from "node:url";
import { offlineAssistant } from "./lib/harness.ts";
import { ANSWER_SETS, grade, loadAnswerSet, type AnswerItem, type AnswerSetName, type Outcome, type Split } from "./lib/answerSet.ts";
import { pct, percentile } from "./lib/data.ts";
import { widgetChat, type Tap } from "./lib/widgetChat.ts";
import { articleTitles } from "./lib/articleTitles.ts";
import type { AssistantReply, BotState, HistoryTurn } from "../server/assistant/types.ts";

/**
 * What the customer reads, end to end: every conversation of the blind answer set
 * (eval/lib/answerSet.ts) through the offline assistant, turn by turn with history
 * and bot state carried as the server carries them, the reply to the last turn graded.
 */
export interface AnswerCell {
  n: number;
  /** Answerable: share answered with the facts. Must-decline: share declined. */
  correct: number;
  wrong: number;
  declined: number;
}
export interface AnswerEvalResult {
  cells: Array<{ split: Split; lang: string; kind: "answer" | "decline"; turns: "first" | "follow-up" } & AnswerCell>;
  /** Answerable questions: correct / answered wrong / declined, by split and language. */
  summary: Record<string, { answerable: AnswerCell; mustDecline: AnswerCell; wrongShareOfAnswers: number; afterTap: AnswerCell }>;
  /** In-process runs only. */
  latencyMs?: { p50: number; p95: number };
  failures: Array<{ id: string; split: Split; outcome: Outcome; turns: string[]; reply: string; cited: string[]; source: string | null }>;
}

/**
 * Whether a reply is an answer: anything but a decline or a bare handoff. A handoff
 * that quotes the guide first (an upset customer's question) is read as an answer,
 * right or wrong, since the customer reads it.
 */
export function answered(r: AssistantReply): boolean {
  return (!r.handoff.needed || r.citations.length > 0) && r.botState.lastAction !== "decline";
}

type Reply = { text: string; answered: boolean; cited: string[] };
/**
 * One conversation's turns in, the reply to the last turn out (with what it cited, when
 * known) and, when `tap` chose one of that reply's buttons, the reply to the tap.
 */
type Converse = (turns: string[], tap?: Tap) => Promise<Reply & { tapped?: Reply }>;

/** The assistant in this process, history and bot state carried as the server carries them. */
async function inProcess(times: number[], withoutSampleQuestions = false): Promise<{ converse: Converse; close(): Promise<void> }> {
  const { runtime, close } = await offlineAssistant({ withoutSampleQuestions });
  const read = (r: AssistantReply): Reply => ({
    text: r.reply,
    answered: answered(r),
    cited: r.citations.map((c) => `${c.path} › ${c.heading}`),
  });
  const converse: Converse = async (turns, tap) => {
    let botState: BotState = {};
    const history: HistoryTurn[] = [];
    let last: AssistantReply | undefined;
    let tapped: AssistantReply | undefined;
    const sent = [...turns];
    for (let t = 0; t < sent.length; t++) {
      const text = sent[t]!;
      const t0 = performance.now();
      const r = await runtime.assistant.respond({ text, verifiedCustomerId: null, botState, history: [...history] });
      if (t < turns.length) {
        last = r;
        times.push(performance.now() - t0);
      } else tapped = r;
      // A handed-off conversation is the agents' now: the bot says nothing more.
      if (r.handoff.needed) break;
      history.push({ role: "customer", text }, { role: "assistant", text: r.reply });
      botState = r.botState;
      const label = t === turns.length - 1 && tap ? tap(r.quickReplies.map((q) => q.label)) : null;
      if (label) sent.push(label);
    }
    return { ...read(last!), ...(tapped ? { tapped: read(tapped) } : {}) };
  };
  return { converse, close };
}

/**
 * `via: "widget"`: through the real server's widget socket instead (a server started
 * on a fresh embedded database, or the one at `url`), as a customer meets it.
 */
export async function evalAnswers(
  opts: { only?: Split; via?: "process" | "widget"; url?: string; withoutSampleQuestions?: boolean; set?: AnswerSetName } = {},
): Promise<AnswerEvalResult> {
  const items = loadAnswerSet(opts.set).filter((i) => !opts.only || i.split === opts.only);
  const times: number[] = [];
  const runner =
    opts.via === "widget"
      ? await widgetChat(opts.url).then((w) => ({
          converse: async (t: string[], tap?: Tap) => {
            const r = await w.converse(t, tap);
            return { ...r, cited: [], ...(r.tapped ? { tapped: { ...r.tapped, cited: [] } } : {}) };
          },
          close: w.close,
        }))
      : await inProcess(times, opts.withoutSampleQuestions);
  const results: Array<{ item: (typeof items)[number]; outcome: Outcome; afterTap: Outcome; reply: { text: string; cited: string[] } }> =
    [];
  const titles = articleTitles();
  try {
    for (const item of items) {
      const reply = await runner.converse(item.turns, customerWhoMeant(item.source ? titles.get(item.source) : undefined));
      const outcome = grade(item, reply);
      results.push({ item, outcome, afterTap: reply.tapped ? grade(item, reply.tapped) : outcome, reply });
    }
  } finally {
    await runner.close();
  }

  const cell = (rs: typeof results): AnswerCell => {
    const n = rs.length;
    const count = (o: Outcome) => rs.filter((r) => r.outcome === o).length;
    return { n, correct: n ? count("correct") / n : NaN, wrong: n ? count("wrong") / n : NaN, declined: n ? count("declined") / n : NaN };
  };
  const cells: AnswerEvalResult["cells"] = [];
  for (const split of ["dev", "holdout"] as const)
    for (const lang of ["en", "zh"])
      for (const kind of ["answer", "decline"] as const)
        for (const turns of ["first", "follow-up"] as const) {
          const rs = results.filter(
            (r) =>
              r.item.split === split && r.item.lang === lang && r.item.kind === kind && r.item.turns.length > 1 === (turns === "follow-up"),
          );
          if (rs.length) cells.push({ split, lang, kind, turns, ...cell(rs) });
        }
  const summary: AnswerEvalResult["summary"] = {};
  for (const split of ["dev", "holdout"] as const)
    for (const lang of ["en", "zh", "all"]) {
      const rs = results.filter((r) => r.item.split === split && (lang === "all" || r.item.lang === lang));
      const answerable = rs.filter((r) => r.item.kind === "answer");
      const answers = rs.filter((r) => r.outcome !== "declined");
      summary[`${split} ${lang}`] = {
        answerable: cell(answerable),
        mustDecline: cell(rs.filter((r) => r.item.kind === "decline")),
        wrongShareOfAnswers: answers.length ? answers.filter((r) => r.outcome === "wrong").length / answers.length : 0,
        afterTap: cell(answerable.map((r) => ({ ...r, outcome: r.afterTap }))),
      };
    }
  return {
    cells,
    summary,
    latencyMs: times.length
      ? { p50: Math.round(percentile(times, 50) * 10) / 10, p95: Math.round(percentile(times, 95) * 10) / 10 }
      : undefined,
    failures: results
      .filter((r) => (r.item.kind === "answer" ? r.outcome !== "correct" : r.outcome !== "declined"))
      .map((r) => ({
        id: r.item.id,
        split: r.item.split,
        outcome: r.outcome,
        turns: r.item.turns,
        reply: r.reply.text,
        cited: r.reply.cited,
        source: (r.item as AnswerItem).source,
      })),
  };
}

/**
 * The simulated customer after a decline that offers sections: taps the first whose
 * label names the article the question is about (labels start with the article's
 * title), as a customer who reads the buttons would; must-decline questions tap none.
 */
function customerWhoMeant(title: string | undefined): Tap | undefined {
  if (!title) return undefined;
  return (labels) => labels.find((l) => l === title || l.startsWith(`${title}: `)) ?? null;
}

export function printAnswers(r: AnswerEvalResult): void {
  console.log("Answers the customer reads (blind answer set; correct = every key fact in the reply)");
  console.log("  half     lang  answerable: correct / wrong / declined   must-decline: declined   wrong share of answers");
  for (const [key, v] of Object.entries(r.summary)) {
    const [split, lang] = key.split(" ");
    const a = v.answerable;
    console.log(
      `  ${split!.padEnd(8)} ${lang!.padEnd(4)}  n=${String(a.n).padStart(3)}  ${pct(a.correct).padStart(6)} / ${pct(a.wrong).padStart(6)} / ${pct(a.declined).padStart(6)}      n=${String(v.mustDecline.n).padStart(2)} ${pct(v.mustDecline.declined).padStart(6)}           ${pct(v.wrongShareOfAnswers)}`,
    );
  }
  console.log("  answerable, after the customer taps the offered section of the article they asked about (when offered):");
  for (const [key, v] of Object.entries(r.summary)) {
    const [split, lang] = key.split(" ");
    const a = v.afterTap;
    console.log(
      `  ${split!.padEnd(8)} ${lang!.padEnd(4)}  n=${String(a.n).padStart(3)}  ${pct(a.correct).padStart(6)} / ${pct(a.wrong).padStart(6)} / ${pct(a.declined).padStart(6)}`,
    );
  }
  console.log("  answerable, first question vs follow-up (correct):");
  for (const c of r.cells.filter((c) => c.kind === "answer"))
    console.log(`    ${c.split.padEnd(8)} ${c.lang} ${c.turns.padEnd(9)} n=${String(c.n).padStart(3)} ${pct(c.correct)}`);
  if (r.latencyMs) console.log(`  reply latency (in-process) p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const only = process.argv.includes("--dev") ? "dev" : undefined;
  const widget = process.argv.indexOf("--widget");
  const url = widget >= 0 && process.argv[widget + 1]?.startsWith("http") ? process.argv[widget + 1] : undefined;
  // --without-sample-questions: the knowledge base with the front matter's `questions:` taken out.
  const withoutSampleQuestions = process.argv.includes("--without-sample-questions");
  // --set b|c|d: the second, third and fourth blind sets (eval/lib/answerSet.ts).
  const named = process.argv.includes("--set") ? process.argv[process.argv.indexOf("--set") + 1] : "a";
  if (!ANSWER_SETS.includes(named as AnswerSetName)) throw new Error(`--set: one of ${ANSWER_SETS.join(", ")}`);
  const set = named as AnswerSetName;
  const r = await evalAnswers({ only, via: widget >= 0 ? "widget" : "process", url, withoutSampleQuestions, set });
  if (widget >= 0) console.log(`Through the widget socket of ${url ?? "a server started on a fresh embedded database"}:`);
  printAnswers(r);
  if (process.argv.includes("--failures")) for (const f of r.failures.filter((f) => f.split === "dev")) console.log(JSON.stringify(f));
}
