import type { Config } from "./config.ts";
import type { Database } from "./db/Database.ts";
import type { EventBus } from "./events/EventBus.ts";
import type { JobQueue } from "./queue/JobQueue.ts";
import type { Logger } from "./logger.ts";
import type { KnowledgeBase } from "./knowledge/KnowledgeBase.ts";
import type { OutboundHttp } from "./security/outboundHttp.ts";
import type { SecretBox } from "./security/secretBox.ts";

/** What every command, listener and handler receives: the process's shared parts. */
export interface AppContext {
  config: Config;
  db: Database;
  bus: EventBus;
  queue: JobQueue;
  logger: Logger;
  knowledge: KnowledgeBase;
  /** HTTP to URLs someone configured (webhooks, channel providers), with the SSRF guard. */
  outbound: OutboundHttp;
  /** Seals and opens the secrets stored in the database (SECRET_KEY). */
  secrets: SecretBox;
}
