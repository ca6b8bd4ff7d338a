import path from "node:path";
import { IntentClassifier } from "../../server/assistant/intents/classifier.ts";
import { loadIntents } from "../../server/assistant/intents/load.ts";
import { percentile, ROOT } from "../lib/data.ts";

/**
 * The intent classifier on the shipped intents (budget: under 1 s to train at start-up
 * and on every change of knowledge/intents, under 1 ms a message): training timed five
 * times after a warm-up, then 2,000 messages classified one by one.
 */
export async function runIntentsBench(): Promise<void> {
  const intents = await loadIntents(path.join(ROOT, "knowledge/intents"));
  IntentClassifier.train(intents); // JIT warm-up, as in a running server
  const trainMs: number[] = [];
  let clf: IntentClassifier | undefined;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    clf = IntentClassifier.train(intents);
    trainMs.push(performance.now() - t0);
  }
  const messages = [
    "how long does a transfer to another bank take",
    "我的卡丢了怎么办",
    "what is the annual fee on this credit card",
    "請幫我凍結這張卡",
  ];
  const perMessage: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    clf!.classify(`${messages[i % messages.length]} ${i}`);
    perMessage.push(performance.now() - t0);
  }
  console.log(`Intent classifier (${intents.length} intents)`);
  console.log(`  train: median ${percentile(trainMs, 50).toFixed(0)} ms, max ${Math.max(...trainMs).toFixed(0)} ms (budget 1,000 ms)`);
  console.log(
    `  classify: p50 ${percentile(perMessage, 50).toFixed(3)} ms, p95 ${percentile(perMessage, 95).toFixed(3)} ms a message (budget 1 ms)`,
  );
}
