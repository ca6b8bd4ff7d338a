import fs from "node:fs";
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPGlite } from "../../server/db/pglite.ts";
import { migrate } from "../../server/db/migrate.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { buildServer } from "../../scripts/build-server.mjs";
import { CHROMIUM_PATH, launchChromiumServer } from "./browser.ts";

/**
 * Prepares one migrated template per test run so that test files start from a
 * fresh database in well under a second: a PGlite data-directory tarball (no initdb
 * per file) and, with DATABASE_URL, a PostgreSQL template database.
 */
export default async function setup() {
  const runId = `${process.pid}_${Date.now()}`;
  process.env.BANKDESK_TEST_RUN_ID = runId;
  // The browser tests serve dist/: build it once, before any test file starts a server
  // (in a child process, while the templates below are made). The server too (dist/node,
  // what `npm run build` makes): the `bankdesk` CLIs the tests spawn then run compiled
  // JavaScript instead of transpiling every source through tsx on each start
  // (userCli.test.ts 33.3 -> 21.9 s, coreBankingHttp 36.7 -> 24.6 s, privacyCli 15.0 -> 9.1 s,
  // measured under a load of 4 to 7 on the 2-core machine). bin.mjs runs it only while it
  // matches the sources, so a source edited during a run falls back to tsx.
  // One Chromium for the run, which the browser test files connect to (tests/helpers/browser.ts).
  const [, , chromium, embedded, postgres] = await Promise.all([
    buildUi(),
    buildServer(),
    // Without Chromium only the browser tests fail (each file's own launch says why), not every file.
    fs.existsSync(CHROMIUM_PATH) ? launchChromiumServer() : undefined,
    embeddedTemplate(runId),
    process.env.DATABASE_URL ? postgresTemplate(runId, process.env.DATABASE_URL) : undefined,
  ]);
  if (chromium) process.env.BANKDESK_TEST_CHROMIUM_WS = chromium.wsEndpoint();
  return async () => {
    await chromium?.close();
    await postgres?.();
    embedded();
  };
}

function buildUi(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.resolve(import.meta.dirname, "../../scripts/build-ui.mjs")], (err, stdout, stderr) => {
      process.stdout.write(stdout);
      process.stderr.write(stderr);
      if (err) reject(err);
      else resolve();
    });
  });
}

/**
 * The embedded template, in two forms: a data-directory tarball that test databases
 * load in memory (BANKDESK_TEST_PGLITE_TEMPLATE), and the same data directory on
 * disk (BANKDESK_TEST_PGLITE_DATADIR) that tests copy into a CLI's DATA_DIR so that
 * the spawned `bankdesk` finds a migrated database instead of running initdb and every
 * migration. Made on PostgreSQL runs too: the CLI tests always use the embedded one.
 */
async function embeddedTemplate(runId: string): Promise<() => void> {
  const db = await openPGlite();
  await migrate(db);
  const file = path.join(os.tmpdir(), `bankdesk-template-${runId}.tar`);
  const tarball = await db.dump();
  await db.close();
  fs.writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
  const dataDir = path.join(os.tmpdir(), `bankdesk-template-${runId}`);
  await (await openPGlite({ dataDir, loadDataDir: tarball })).close();
  process.env.BANKDESK_TEST_PGLITE_TEMPLATE = file;
  process.env.BANKDESK_TEST_PGLITE_DATADIR = dataDir;
  return () => {
    fs.rmSync(file, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

async function postgresTemplate(runId: string, databaseUrl: string): Promise<() => Promise<void>> {
  const template = `bankdesk_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const url = new URL(databaseUrl);
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
