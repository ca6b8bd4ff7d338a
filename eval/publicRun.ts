/**
 * The public-data figures alone, quicker than the whole `npm run eval`:
 *
 *   npx tsx eval/publicRun.ts            # sentiment (own + public) and handoff
 *   npx tsx eval/publicRun.ts sentiment  # sentiment only (no database)
 *   npx tsx eval/publicRun.ts handoff    # handoff only (public sets and our own handoff set)
 *   npx tsx eval/publicRun.ts handoff --verbose  # …listing false handoffs (dev half) and missed requests
 */
import { evalSentiment } from "./assistant.ts";
import { evalPublicHandoff, printPublicHandoff, printPublicSentiment } from "./publicReport.ts";
import { evalPublicSentiment } from "./public.ts";
import { sentimentUnderTest } from "./lib/sentimentUnderTest.ts";
import { pct } from "./lib/data.ts";

const only = process.argv[2];
if (!only || only === "sentiment") {
  const underTest = await sentimentUnderTest();
  console.log(`Sentiment analyzer: ${underTest.name} (as SENTIMENT configures it)`);
  const own = await evalSentiment(underTest.analyzer);
  console.log(
    `Own sentiment set (${own.n}): macro-recall ${pct(own.macroRecall)} (${Object.entries(own.byLocale)
      .map(([k, v]) => `${k} ${pct(v.macroRecall)}`)
      .join(", ")})`,
  );
  printPublicSentiment(await evalPublicSentiment(underTest.analyzer));
}
if (!only || only === "handoff") printPublicHandoff(await evalPublicHandoff(process.argv.includes("--verbose"), console.log, true));
