import fs from "node:fs";
import path from "node:path";

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * Writes eval/reports/index.html: the figures as tables and Chart.js charts (the
 * library is copied beside the report, so it opens offline).
 */
export function writeReport(dir: string, results: Record<string, unknown>, chartJs: string): void {
  fs.copyFileSync(chartJs, path.join(dir, "chart.umd.min.js"));
  const data = JSON.stringify(results).replace(/</g, "\\u003c");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BankDesk evaluation</title>
<style>
 body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2430}
 header{background:#0b3d5c;color:#fff;padding:24px 40px} main{padding:24px 40px;display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:24px}
 section{background:#fff;border-radius:10px;padding:20px 24px;box-shadow:0 1px 3px rgba(0,0,0,.08)} h2{margin:0 0 12px;font-size:17px}
 table{border-collapse:collapse;width:100%;margin-top:12px} td,th{padding:6px 8px;border-bottom:1px solid #e6e8eb;text-align:left} th{font-weight:600;color:#55606e}
</style></head><body>
<header><h1 style="margin:0">BankDesk — assistant evaluation</h1><div>${esc(String(results.generatedAt))} · offline defaults · labelled sets in eval/data</div></header>
<main>
 <section><h2>Retrieval</h2><canvas id="retrieval"></canvas><table id="retrievalTable"></table></section>
 <section><h2>Intents</h2><canvas id="intents"></canvas></section>
 <section><h2>Sentiment</h2><canvas id="sentiment"></canvas></section>
 <section><h2>Handoff recall by reason</h2><canvas id="handoff"></canvas></section>
 <section><h2>Answers</h2><canvas id="answers"></canvas></section>
</main>
<script src="chart.umd.min.js"></script>
<script>
const R = ${data};
const pct = (x) => Math.round(x * 1000) / 10;
const bar = (id, labels, datasets) => new Chart(document.getElementById(id), { type: "bar", data: { labels, datasets }, options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } } });
bar("retrieval", R.retrieval.map((r) => r.mode), [
  { label: "recall@1", data: R.retrieval.map((r) => pct(r.recall1)) },
  { label: "recall@5", data: R.retrieval.map((r) => pct(r.recall5)) },
  { label: "MRR@10 ×100", data: R.retrieval.map((r) => pct(r.mrr10)) },
]);
document.getElementById("retrievalTable").innerHTML = "<tr><th>mode</th><th>recall@1</th><th>recall@5</th><th>MRR@10</th></tr>" +
  R.retrieval.map((r) => "<tr><td>" + r.mode + "</td><td>" + pct(r.recall1) + "%</td><td>" + pct(r.recall5) + "%</td><td>" + r.mrr10.toFixed(3) + "</td></tr>").join("");
bar("intents", ["accuracy", "in-scope accuracy", "OOS precision", "OOS recall"], [{ label: "intents", data: [R.intents.accuracy, R.intents.inScopeAccuracy, R.intents.oosPrecision, R.intents.oosRecall].map(pct) }]);
bar("sentiment", ["accuracy", "macro-recall", ...Object.keys(R.sentiment.recall).map((k) => "recall " + k)], [{ label: "sentiment", data: [R.sentiment.accuracy, R.sentiment.macroRecall, ...Object.values(R.sentiment.recall)].map(pct) }]);
bar("handoff", Object.keys(R.handoff.byReason), [
  { label: "handed off", data: Object.values(R.handoff.byReason).map((v) => pct(v.recall)) },
  { label: "with the same reason", data: Object.values(R.handoff.byReason).map((v) => pct(v.reasonMatch)) },
]);
bar("answers", ["answered (answerable)", "right article cited", "declined (unanswerable)", "grounded"], [{ label: "answers", data: [R.answers.answeredRate, R.answers.citedCorrectRate, R.answers.refusalRate, R.answers.groundedRate].map(pct) }]);
</script></body></html>`;
  fs.writeFileSync(path.join(dir, "index.html"), html);
}
