import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./Database.ts";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
// Any constant: serialises migrations when several processes start at once.
const LOCK_ID = 4_211_907;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.replace(/\.sql$/, ""),
      sql: fs.readFileSync(path.join(dir, f), "utf8"),
    }));
}

/**
 * Applies the numbered SQL files not yet recorded in `schema_migrations`, each in
 * its own transaction. Safe to run twice and from several processes at once: each
 * transaction takes a transaction-level advisory lock and re-checks what is done.
 * Returns the names of the migrations it applied.
 */
export async function migrate(
  db: Database,
  migrations = listMigrations(),
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const lock = db.kind === "postgres" ? `SELECT pg_advisory_xact_lock(${LOCK_ID})` : "SELECT 1";
  const done = await db.transaction(async (tx) => {
    await tx.query(lock);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    return new Set(rows.map((r) => r.version));
  });
  const applied: string[] = [];
  const pending = migrations.filter((m) => !done.has(m.version));
  onProgress?.(0, pending.length);
  for (const [i, m] of pending.entries()) {
    const ran = await db.transaction(async (tx) => {
      await tx.query(lock);
      const again = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (again.rowCount > 0) return false;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.name);
    onProgress?.(i + 1, pending.length);
  }
  return applied;
}
