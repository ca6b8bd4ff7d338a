import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openPGlite } from "../../server/db/pglite.ts";
import { migrate } from "../../server/db/migrate.ts";
import { loadConfig } from "../../server/config.ts";
import { createLogger } from "../../server/logger.ts";
import { EventBus } from "../../server/events/EventBus.ts";
import { InProcessQueue } from "../../server/queue/InProcessQueue.ts";
import { KnowledgeBase } from "../../server/knowledge/KnowledgeBase.ts";
import { HashingEmbedder } from "../../server/knowledge/embedders/HashingEmbedder.ts";
import { createAssistant, type AssistantRuntime } from "../../server/assistant/createAssistant.ts";
import { createOutboundHttp } from "../../server/security/outboundHttp.ts";
import { SecretBox } from "../../server/security/secretBox.ts";
import type { AppContext } from "../../server/context.ts";
import { ROOT } from "./data.ts";
import { editFrontMatter } from "../../server/knowledge/frontMatterEdit.ts";

/**
 * The offline assistant over the demo knowledge base on a fresh in-memory database:
 * exactly what `bankdesk chat` runs, without a CLI process per question.
 */
export async function offlineAssistant(
  opts: { withoutSampleQuestions?: boolean } = {},
): Promise<{ ctx: AppContext; runtime: AssistantRuntime; close(): Promise<void> }> {
  const db = await openPGlite();
  await migrate(db);
  const knowledgeDir = opts.withoutSampleQuestions ? withoutSampleQuestions(path.join(ROOT, "knowledge")) : path.join(ROOT, "knowledge");
  const config = loadConfig({
    DATA_DIR: path.join(ROOT, ".data"),
    KNOWLEDGE_DIR: knowledgeDir,
    LOG_LEVEL: "silent",
    EMBEDDER: "offline",
  });
  const knowledge = new KnowledgeBase(db, new HashingEmbedder(), config.KNOWLEDGE_DIR);
  await knowledge.sync();
  const queue = new InProcessQueue(async () => {});
  const outbound = createOutboundHttp(config.OUTBOUND_ALLOW);
  const ctx: AppContext = {
    config,
    db,
    bus: new EventBus(),
    queue,
    logger: createLogger("silent"),
    knowledge,
    outbound,
    secrets: new SecretBox(config.SECRET_KEY),
  };
  const runtime = await createAssistant(ctx);
  return {
    ctx,
    runtime,
    close: async () => {
      await outbound.close();
      await db.close();
      if (knowledgeDir.startsWith(os.tmpdir())) fs.rmSync(knowledgeDir, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of a knowledge folder with the front matter's `questions:` taken out: a
 * bank's own articles before its content team has written any sample questions.
 */
function withoutSampleQuestions(dir: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-kb-bare-"));
  fs.cpSync(dir, out, { recursive: true });
  for (const file of fs.readdirSync(out, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".md")) continue;
    const abs = path.join(out, file);
    fs.writeFileSync(
      abs,
      editFrontMatter(fs.readFileSync(abs, "utf8"), (doc) => doc.delete("questions")),
    );
  }
  return out;
}
