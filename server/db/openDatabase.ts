import path from "node:path";
import type { Database } from "./Database.ts";
import { migrate } from "./migrate.ts";

export interface OpenDatabaseOptions {
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE?: number;
  DATA_DIR: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set, otherwise the
 * embedded one in DATA_DIR/pg. Migrations are applied unless told otherwise.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.DATABASE_URL) {
    const { openPostgres } = await import("./postgres.ts");
    db = await openPostgres(options.DATABASE_URL, options.DATABASE_POOL_SIZE);
  } else {
    const { openPGlite } = await import("./pglite.ts");
    db = await openPGlite({ dataDir: path.join(options.DATA_DIR, "pg") });
  }
  if (options.migrate !== false) await migrate(db);
  return db;
}
