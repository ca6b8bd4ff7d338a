import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import type { Database } from "../../server/db/Database.ts";
import { openPGlite } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { migrate } from "../../server/db/migrate.ts";

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a copy of the run's template, on
 * real PostgreSQL when DATABASE_URL is set, otherwise embedded. `close()` drops it.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (usingPostgres) {
    const name = `bankdesk_t_${process.env.BANKDESK_TEST_RUN_ID ?? "x"}_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.BANKDESK_TEST_PG_TEMPLATE}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString());
    const close = db.close.bind(db);
    return Object.assign(db, {
      url: url.toString(),
      close: async () => {
        await close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    });
  }
  const file = process.env.BANKDESK_TEST_PGLITE_TEMPLATE;
  const db = await openPGlite(file ? { loadDataDir: new Blob([fs.readFileSync(file)]) } : {});
  if (!file) await migrate(db);
  return db;
}

/**
 * Gives a `bankdesk` CLI under test the run's migrated embedded database: copies the
 * template's data directory to `pgDir` (the CLI's DATA_DIR/pg). The CLI still checks
 * its migrations on start; it just finds them applied instead of running initdb and
 * all of them in its first spawn. Without the template (a file run without the
 * global setup) it does nothing and the CLI migrates the empty directory itself.
 */
export function seedEmbeddedDataDir(pgDir: string): void {
  const template = process.env.BANKDESK_TEST_PGLITE_DATADIR;
  if (!template) return;
  if (fs.existsSync(path.join(pgDir, "PG_VERSION"))) throw new Error(`${pgDir} already holds a database`);
  fs.cpSync(template, pgDir, { recursive: true });
}
