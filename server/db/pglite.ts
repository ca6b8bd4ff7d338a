import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sqlText, type Database, type Queryable, type QueryResult, type Statement, type Transaction } from "./Database.ts";
import { sessionSettingsSql } from "./sessionSettings.ts";

export interface PGliteOptions {
  /** Directory for the data files; memory only when omitted. */
  dataDir?: string;
  /** A tarball from `dumpDataDir()`, to start without running initdb again. */
  loadDataDir?: Blob;
}

/**
 * PostgreSQL's memory inside PGlite's WebAssembly memory, which grows and never gives
 * anything back: every page once used stays in the process's RSS. PostgreSQL's defaults
 * (128 MB of shared buffers, 64 MB for index builds) filled 161 MB of it by the time a
 * fresh embedded server with the demo was idle (its database: 47 MB on disk), most of
 * the 400 MB the embedded mode may use. With these, the same start idled at 402 MB
 * instead of 482–520 (README, "Idle memory"); the pages the buffers no longer hold come
 * from the operating system's file cache, and the offline assistant's end-to-end bench
 * (200 questions) answered as fast. An HNSW build that outgrows 16 MB is slower, not
 * refused (pgvector builds on disk past it).
 */
const MEMORY_SETTINGS = ["-c", "shared_buffers=32MB", "-c", "maintenance_work_mem=16MB"];

/** Embedded PostgreSQL (WASM) with pgvector, for a server that needs no other process. */
export async function openPGlite(options: PGliteOptions = {}): Promise<PGliteDatabase> {
  if (options.dataDir) fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const db = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    // pg_trgm: trigram indexes for the console's message search (English and Chinese).
    extensions: { vector, pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS],
  });
  await db.exec(sessionSettingsSql());
  return new PGliteDatabase(db);
}

function wrap(q: Pick<PGlite, "query" | "exec">): Transaction {
  return {
    async exec(sql: string) {
      await q.exec(sql);
    },
    // One session in-process: nothing to gain from named statements.
    async query<T>(sql: string | Statement, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await q.query<T>(sqlText(sql), params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows || r.rows.length };
    },
  };
}

export class PGliteDatabase implements Database {
  readonly kind = "pglite" as const;
  private readonly q: Transaction;
  /** One in-process session: its writes go the same way as every other. */
  readonly replayable: Queryable;
  constructor(readonly pglite: PGlite) {
    this.q = wrap(pglite);
    this.replayable = this.q;
  }
  query<T>(sql: string | Statement, params?: unknown[]) {
    return this.q.query<T>(sql, params);
  }
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(wrap(tx)));
  }
  async exec(sql: string) {
    await this.pglite.exec(sql);
  }
  async ping() {
    await this.pglite.query("SELECT 1");
  }
  async close() {
    if (!this.pglite.closed) await this.pglite.close();
  }
  /** A tarball of the data directory, to clone a migrated database quickly (tests). */
  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir("none") as Promise<Blob>;
  }
}
