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

/**
 * The offline assistant over the demo knowledge base on a fresh in-memory database:
 * exactly what `bankdesk chat` runs, without a CLI process per question.
 */
export async function offlineAssistant(): Promise<{ ctx: AppContext; runtime: AssistantRuntime; close(): Promise<void> }> {
  const db = await openPGlite();
  await migrate(db);
  const config = loadConfig({
    DATA_DIR: path.join(ROOT, ".data"),
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
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
  return { ctx, runtime, close: async () => (await outbound.close(), await db.close()) };
}
