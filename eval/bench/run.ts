import { measureStartup } from "./startup.ts";
import { measureReplies } from "./assistant.ts";

/**
 * `npm run bench`: performance figures, printed (no pass/fail). With DATABASE_URL
 * and REDIS_URL set, the server figures are also taken on PostgreSQL and Redis.
 * `npm run bench -- message-path [--side-by-side]` and `npm run bench -- worker-replies`
 * run only when named (they start servers and need thousands of sockets:
 * eval/bench/messagePath.ts, eval/bench/workerReplies.ts).
 */
const only = process.argv[2];
const want = (name: string) => !only || only === name;

if (want("startup")) {
  console.log("Start-up (fresh data directory, `bankdesk start` until /readyz is 200; RSS after 10 s idle)");
  const e = await measureStartup("embedded", { DATABASE_URL: "", REDIS_URL: "" });
  console.log(`  embedded (PGlite, in-process jobs): ready in ${e.readyMs} ms, RSS idle ${e.rssIdleMb} MB`);
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    const p = await measureStartup("postgres", { DEMO_SEED: "true" });
    console.log(`  PostgreSQL + Redis (BullMQ):        ready in ${p.readyMs} ms, RSS idle ${p.rssIdleMb} MB`);
  }
}

if (want("assistant")) {
  console.log("\nOffline assistant, end to end on the embedded database (widget socket → stored → bot reply stored and received)");
  const r = await measureReplies(200);
  console.log(`  ${r.n} questions: ack p50 ${r.ackP50} ms, p95 ${r.ackP95} ms; bot reply p50 ${r.replyP50} ms, p95 ${r.replyP95} ms`);
}

if (want("knowledge")) {
  try {
    const { runKnowledgeBench } = (await import("./knowledge.ts")) as { runKnowledgeBench?: () => Promise<void> };
    if (runKnowledgeBench) {
      console.log("");
      await runKnowledgeBench();
    }
  } catch (err) {
    console.log(`\nknowledge bench unavailable: ${(err as Error).message}`);
  }
}

if (want("sentiment")) {
  const { runSentimentBench } = await import("./sentiment.ts");
  console.log("");
  await runSentimentBench();
}

if (want("console")) {
  const { runConsoleBench } = await import("./console.ts");
  console.log("");
  await runConsoleBench();
}

if (want("intents")) {
  const { runIntentsBench } = await import("./intents.ts");
  console.log("");
  await runIntentsBench();
}

if (only === "worker-replies") {
  const { runWorkerRepliesBench } = await import("./workerReplies.ts");
  await runWorkerRepliesBench(process.argv.slice(3));
}

if (only === "message-path") {
  const { runMessagePathBench } = await import("./messagePath.ts");
  await runMessagePathBench(process.argv.slice(3));
}
