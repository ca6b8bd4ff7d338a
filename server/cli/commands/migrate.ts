import { Command } from "commander";
import { loadConfig } from "../../config.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import { migrate } from "../../db/migrate.ts";
import { describeDbError } from "../runtime.ts";
import { progressLine } from "../progressLine.ts";

export function migrateCommand(): Command {
  return new Command("migrate").description("Apply pending database migrations").action(async () => {
    const config = loadConfig();
    const db = await openDatabase({ ...config, migrate: false }).catch((err) => {
      throw new Error(describeDbError(err, config));
    });
    try {
      const progress = progressLine("Applying migrations");
      const applied = await migrate(db, undefined, (done, total) => progress.update(done, total)).finally(() => progress.finish());
      process.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}\n` : "Database is up to date\n");
    } finally {
      await db.close();
    }
  });
}
