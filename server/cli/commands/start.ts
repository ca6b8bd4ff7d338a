import { Command } from "commander";
import { loadConfig, type ServiceName } from "../../config.ts";
import { createLogger } from "../../logger.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import { describeDbError } from "../runtime.ts";
import { lowerPriority } from "../processPriority.ts";
import { collectStartupGarbageWhenIdle } from "../collectStartupGarbage.ts";

export function startCommand(): Command {
  return new Command("start")
    .description("Start the server (web, realtime and worker services by default)")
    .option("--services <list>", "comma-separated services to run: web,realtime,worker")
    .option("--port <port>", "port to listen on (overrides PORT)")
    .action(async (opts: { services?: string; port?: string }) => {
      const t0 = Date.now();
      // The whole server is imported only for `start` (the other commands stay quick to
      // launch), and while the database opens.
      const appModule = import("../../app.ts");
      appModule.catch(() => undefined); // awaited below; a failed import is not "unhandled" meanwhile
      const config = loadConfig({
        ...process.env,
        ...(opts.services ? { SERVICES: opts.services } : {}),
        ...(opts.port ? { PORT: opts.port } : {}),
      });
      const logger = createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
      // A worker beside web processes yields the CPU to their acknowledgements (processPriority.ts).
      if (config.SERVICES.length === 1 && config.SERVICES[0] === "worker") lowerPriority(config.WORKER_NICE, logger);
      let db;
      try {
        db = await openDatabase(config);
      } catch (err) {
        process.stderr.write(`bankdesk: ${describeDbError(err, config)}\n`);
        process.exit(1);
      }
      const { startApp } = await appModule;
      const app = await startApp({ config, logger, db, services: config.SERVICES as ServiceName[] });
      const where = config.DATABASE_URL ? "PostgreSQL" : `embedded database in ${config.DATA_DIR}`;
      logger.info(
        { services: config.SERVICES, database: db.kind, queue: app.ctx.queue.kind, startMs: Date.now() - t0 },
        "BankDesk started",
      );
      if (app.url) {
        const base = config.PUBLIC_URL ?? `http://localhost:${new URL(app.url).port}`;
        process.stdout.write(`\nBankDesk is running (${where}, ${app.ctx.queue.kind} jobs) in ${Date.now() - t0} ms\n`);
        process.stdout.write(
          `${config.DEMO_SEED ? `  Demo bank site:  ${base}/\n` : ""}  Agent console:   ${base}/console\n  API:             ${base}/api/v1/openapi.json\n\n`,
        );
      }
      const cancelCollection = collectStartupGarbageWhenIdle(logger);
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        cancelCollection();
        logger.info({ signal }, "shutting down");
        const force = setTimeout(() => process.exit(1), 15_000).unref();
        await app.close();
        await db.close();
        clearTimeout(force);
        process.exit(0);
      };
      process.on("SIGINT", () => void shutdown("SIGINT"));
      process.on("SIGTERM", () => void shutdown("SIGTERM"));
    });
}
