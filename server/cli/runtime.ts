import path from "node:path";
import { loadConfig, type Config } from "../config.ts";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { createLogger } from "../logger.ts";
import { createOutboundHttp } from "../security/outboundHttp.ts";
import { SecretBox } from "../security/secretBox.ts";
import type { AppContext } from "../context.ts";
import { EventBus } from "../events/EventBus.ts";
import { InProcessQueue } from "../queue/InProcessQueue.ts";
import { KnowledgeBase } from "../knowledge/KnowledgeBase.ts";

/** Explains a database that cannot be reached in one line, for CLI users. */
export function describeDbError(err: unknown, config: Config): string {
  const where = config.DATABASE_URL ? `PostgreSQL at ${redactUrl(config.DATABASE_URL)}` : `the embedded database in ${config.DATA_DIR}`;
  const msg = err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
  return `cannot open ${where}: ${msg}`;
}

export function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(invalid url)";
  }
}

/**
 * A context for one-shot CLI commands: the configured database, an in-process
 * queue and logs to stderr (stdout is for the command's output).
 */
export async function cliContext(
  overrides: Partial<NodeJS.ProcessEnv> = {},
  knowledgeDir?: string,
): Promise<AppContext & { close(): Promise<void> }> {
  const config = loadConfig({ ...process.env, ...overrides });
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr as never, config.LOG_FORMAT);
  let db: Database;
  try {
    db = await openDatabase(config);
  } catch (err) {
    throw new Error(describeDbError(err, config));
  }
  const bus = new EventBus((err) => logger.error({ err }, "listener failed"));
  const queue = new InProcessQueue(async () => {});
  await queue.startWorker();
  const knowledge = await KnowledgeBase.create(db, config, knowledgeDir ? path.resolve(knowledgeDir) : config.KNOWLEDGE_DIR);
  const outbound = createOutboundHttp(config.OUTBOUND_ALLOW);
  return {
    config,
    db,
    bus,
    queue,
    logger,
    knowledge,
    outbound,
    secrets: new SecretBox(config.SECRET_KEY, config.SECRET_KEY_PREVIOUS),
    close: async () => (await queue.close(), await outbound.close(), await db.close()),
  };
}
