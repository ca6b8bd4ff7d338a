import { offlineAssistant } from "./lib/harness.ts";
import { HALVES, type Half, type PublicSentimentScores, loadClincBanking, loadHumanRequests } from "./public.ts";
import { pct } from "./lib/data.ts";
import { type HandoffScores, scoreHandoffSet } from "./assistant.ts";

export interface PublicHandoffScores {
  /** Share of CLINC150 banking/credit-card queries handed to a human (lower is better). */
  clinc?: Record<Half, { n: number; falseRate: number }>;
  /** Requests for a person (eval/data/handoff-requests.jsonl) that were handed off, by locale and half. */
  requests: Record<string, { n: number; recall: number; explicitReason: number }>;
  /** Our own handoff set, when asked for (`withOwn`): `npm run eval` reports it on its own. */
  own?: HandoffScores;
}

export async function evalPublicHandoff(
  verbose = false,
  log: (m: string) => void = console.log,
  withOwn = false,
): Promise<PublicHandoffScores> {
  const { runtime, close } = await offlineAssistant();
  const respond = (text: string) => runtime.assistant.respond({ text, verifiedCustomerId: null, botState: {}, history: [] });
  try {
    const out: PublicHandoffScores = { requests: {} };
    const clinc = loadClincBanking(log);
    if (clinc) {
      out.clinc = { dev: { n: 0, falseRate: 0 }, holdout: { n: 0, falseRate: 0 } };
      for (const half of HALVES) {
        let handed = 0;
        for (const t of clinc[half]) {
          const r = await respond(t);
          if (r.handoff.needed) {
            handed++;
            if (verbose && half === "dev")
              log(`  false handoff (${r.handoff.reason}; ${r.intent.name} ${r.intent.confidence}; sentiment ${r.sentiment.score}): ${t}`);
          }
        }
        out.clinc[half] = { n: clinc[half].length, falseRate: handed / clinc[half].length };
      }
    }
    const acc: Record<string, { n: number; hit: number; reason: number }> = {};
    for (const q of loadHumanRequests()) {
      const r = await respond(q.text);
      const a = (acc[`${q.locale} ${q.half}`] ??= { n: 0, hit: 0, reason: 0 });
      a.n++;
      if (r.handoff.needed) a.hit++;
      else if (verbose) log(`  missed request (${r.intent.name} ${r.intent.confidence}): ${q.text}`);
      if (r.handoff.reason === "explicit_request") a.reason++;
    }
    out.requests = Object.fromEntries(
      Object.entries(acc).map(([k, v]) => [k, { n: v.n, recall: v.hit / v.n, explicitReason: v.reason / v.n }]),
    );
    if (withOwn) out.own = await scoreHandoffSet(respond);
    return out;
  } finally {
    await close();
  }
}

export function printPublicSentiment(s: PublicSentimentScores): void {
  if (s.en) {
    console.log("\nEnglish short social messages (TweetEval val, ../shared), 3 classes, macro-recall");
    for (const h of HALVES) {
      const v = s.en[h];
      console.log(
        `  ${h.padEnd(8)} n=${v.n}  macro-recall ${pct(v.macroRecall)}  (negative ${pct(v.recall.negative!)}, neutral ${pct(v.recall.neutral!)}, positive ${pct(v.recall.positive!)})`,
      );
    }
  }
  if (s.zh) {
    console.log("Chinese reviews (ChnSentiCorp dev, ../shared), 2 classes, accuracy (neutral counts wrong)");
    for (const h of HALVES) {
      const v = s.zh[h];
      console.log(
        `  ${h.padEnd(8)} n=${v.n}  accuracy ${pct(v.accuracy)}  (negative ${pct(v.recall.negative!)}, positive ${pct(v.recall.positive!)})`,
      );
    }
  }
}

export function printPublicHandoff(s: PublicHandoffScores): void {
  if (s.clinc) {
    console.log("\nCLINC150 banking + credit-card requests (../shared) handed to a human (want ≤ 1%)");
    for (const h of HALVES)
      console.log(
        `  ${h.padEnd(8)} n=${s.clinc[h].n}  handed off ${pct(s.clinc[h].falseRate)} (${Math.round(s.clinc[h].falseRate * s.clinc[h].n)})`,
      );
  }
  console.log("\nRequests for a person, direct and indirect (eval/data/handoff-requests.jsonl), handed off (want 100%)");
  for (const [k, v] of Object.entries(s.requests))
    console.log(`  ${k.padEnd(11)} n=${v.n}  recall ${pct(v.recall)}  (as explicit_request ${pct(v.explicitReason)})`);
  if (s.own) {
    console.log(`\nOwn handoff set (eval/data/handoff.jsonl, ${s.own.n} first messages; want recall ≥ 95%)`);
    console.log(`  precision ${pct(s.own.precision)}, recall ${pct(s.own.recall)}, ${s.own.falseHandoffs} ordinary questions handed off`);
    for (const [reason, v] of Object.entries(s.own.byReason))
      console.log(`  ${reason.padEnd(20)} n=${v.n}  recall ${pct(v.recall)}  same reason ${pct(v.reasonMatch)}`);
  }
}
