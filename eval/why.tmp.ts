import { offlineAssistant } from "./lib/harness.ts";
const { runtime, close } = await offlineAssistant({});
for (const q of process.argv.slice(2)) {
  const r = await runtime.assistant.respond({ text: q, verifiedCustomerId: null, botState: {}, history: [] });
  console.log("\n### " + q + "\n" + r.reply.slice(0, 300));
  for (const t of r.trace) if (!["language", "redact"].includes(t.step)) console.log(JSON.stringify(t).slice(0, 700));
}
await close();
