import fs from "node:fs";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import type { Database } from "../db/Database.ts";
import type { Logger } from "../logger.ts";
import type { CoreBanking } from "./CoreBanking.ts";
import { DemoCoreBanking } from "./DemoCoreBanking.ts";
import { HttpCoreBanking } from "./http/HttpCoreBanking.ts";

type CoreBankingConfig = Pick<
  Config,
  | "CORE_BANKING_URL"
  | "CORE_BANKING_TIMEOUT_MS"
  | "CORE_BANKING_READ_RETRIES"
  | "CORE_BANKING_RETRY_BACKOFF_MS"
  | "CORE_BANKING_BREAKER_FAILURES"
  | "CORE_BANKING_BREAKER_RESET_MS"
  | "CORE_BANKING_TOKEN_URL"
  | "CORE_BANKING_CLIENT_ID"
  | "CORE_BANKING_CLIENT_SECRET"
  | "CORE_BANKING_SCOPE"
  | "CORE_BANKING_TLS_CERT"
  | "CORE_BANKING_TLS_KEY"
  | "CORE_BANKING_TLS_CA"
>;

/**
 * The one place a CoreBanking is made: the bank's core over HTTP when
 * CORE_BANKING_URL is set, else the embedded demo bank. The certificate files are
 * read here, at start, so a wrong path stops the process instead of the first call.
 *
 * The core's URL does not go through the outbound SSRF guard (security/outboundHttp):
 * it is set by the operator in the environment, not by a console user, and a bank's
 * core system normally lives on a private network.
 */
export function createCoreBanking(
  config: CoreBankingConfig,
  deps: { db: Pick<Database, "query" | "transaction">; logger?: Logger },
): CoreBanking {
  if (!config.CORE_BANKING_URL) return new DemoCoreBanking(deps.db);
  const read = (file: string | undefined, name: string) => {
    if (!file) return undefined;
    try {
      return fs.readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  const cert = read(config.CORE_BANKING_TLS_CERT, "CORE_BANKING_TLS_CERT");
  const key = read(config.CORE_BANKING_TLS_KEY, "CORE_BANKING_TLS_KEY");
  const ca = read(config.CORE_BANKING_TLS_CA, "CORE_BANKING_TLS_CA");
  const oauth =
    config.CORE_BANKING_TOKEN_URL && config.CORE_BANKING_CLIENT_ID && config.CORE_BANKING_CLIENT_SECRET
      ? {
          tokenUrl: config.CORE_BANKING_TOKEN_URL,
          clientId: config.CORE_BANKING_CLIENT_ID,
          clientSecret: config.CORE_BANKING_CLIENT_SECRET,
          scope: config.CORE_BANKING_SCOPE,
        }
      : undefined;
  deps.logger?.info(
    { core: new URL(config.CORE_BANKING_URL).origin, oauth: Boolean(oauth), mutualTls: Boolean(cert) },
    "account questions go to the bank's core system",
  );
  return new HttpCoreBanking({
    baseUrl: config.CORE_BANKING_URL,
    timeoutMs: config.CORE_BANKING_TIMEOUT_MS,
    readRetries: config.CORE_BANKING_READ_RETRIES,
    retryBackoffMs: config.CORE_BANKING_RETRY_BACKOFF_MS,
    breaker: { failureThreshold: config.CORE_BANKING_BREAKER_FAILURES, resetMs: config.CORE_BANKING_BREAKER_RESET_MS },
    oauth,
    tls: cert || ca ? { cert, key, ca } : undefined,
    logger: deps.logger,
  });
}

const perProcess = new WeakMap<AppContext, CoreBanking>();

/**
 * The process's CoreBanking, made on first use: the assistant and the console's
 * customer panel share it, and with it one token cache, one connection pool and
 * one circuit breaker.
 */
export function coreBankingFor(ctx: AppContext): CoreBanking {
  let core = perProcess.get(ctx);
  if (!core) {
    core = createCoreBanking(ctx.config, { db: ctx.db, logger: ctx.logger });
    perProcess.set(ctx, core);
  }
  return core;
}

/** Closes the HTTP adapter's connections at shutdown. */
export async function closeCoreBanking(ctx: AppContext): Promise<void> {
  const core = perProcess.get(ctx);
  perProcess.delete(ctx);
  if (core instanceof HttpCoreBanking) await core.close();
}
