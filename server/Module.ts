import type { Express } from "express";
import type { ServiceName } from "./config.ts";
import type { AppContext } from "./context.ts";
import type { ApiRouter } from "./services/web/ApiRouter.ts";
import type { SealedSecrets } from "./commands/resealSecrets.ts";

/**
 * A feature area (knowledge, assistant, demo...) plugs into the process through
 * these hooks instead of app.ts knowing each one. Who reacts to a domain event is
 * not a hook: it is listed in one place, server/events/listeners.ts.
 */
export interface Module {
  name: string;
  /** Before services start (load indexes, seed). */
  setup?(ctx: AppContext, services: Set<ServiceName>): Promise<void>;
  /** REST routes, in processes running `web`. */
  routes?(api: ApiRouter, ctx: AppContext): void;
  /**
   * Plain HTTP endpoints outside /api/v1 and its JSON parser, CSRF and session
   * auth (channel webhooks that need the raw body), in processes running `web`.
   */
  mount?(app: Express, ctx: AppContext): void;
  /** Job handlers (`ctx.queue.register`), in every process (enqueuers need defaults too). */
  tasks?(ctx: AppContext): void;
  /** After the server listens (watchers). */
  started?(ctx: AppContext, services: Set<ServiceName>): Promise<void>;
  stop?(ctx: AppContext): Promise<void>;
  /** The secrets this feature stores sealed, re-sealed at start (plain text) and by `bankdesk secrets rotate`. */
  sealedSecrets?: readonly SealedSecrets[];
}
