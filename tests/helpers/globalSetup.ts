import fs from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPGlite } from "../../server/db/pglite.ts";
import { migrate } from "../../server/db/migrate.ts";
import { openPostgres } from "../../server/db/postgres.ts";

/**
 * Prepares one migrated template per test run so that test files start from a
 * fresh database in well under a second: a PGlite data-directory tarball (no initdb
 * per file) or, with DATABASE_URL, a PostgreSQL template database.
 */
export default async function setup() {
  // The browser tests serve dist/: build it once, before any test file starts a server.
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../../scripts/build-ui.mjs")], { stdio: "inherit" });
  const runId = `${process.pid}_${Date.now()}`;
  if (process.env.DATABASE_URL) {
    const template = `bankdesk_tpl_${runId}`;
    process.env.BANKDESK_TEST_RUN_ID = runId;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${template}`;
    const db = await openPostgres(url.toString(), 2);
    await migrate(db);
    await db.close();
    process.env.BANKDESK_TEST_PG_TEMPLATE = template;
    return async () => {
      // Test databases made from the template are dropped by their files; drop leftovers too.
      const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
        `bankdesk_t_${runId}%`,
      ]);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openPGlite();
  await migrate(db);
  const file = path.join(os.tmpdir(), `bankdesk-template-${runId}.tar`);
  fs.writeFileSync(file, Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.close();
  process.env.BANKDESK_TEST_PGLITE_TEMPLATE = file;
  process.env.BANKDESK_TEST_RUN_ID = runId;
  return () => fs.rmSync(file, { force: true });
}
