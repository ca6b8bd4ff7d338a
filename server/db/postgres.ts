import pg from "pg";
import type { Database, Queryable, QueryResult, Statement, Transaction } from "./Database.ts";
import { withSessionSettings } from "./sessionSettings.ts";

// int8 (counts, sums) as numbers, like PGlite, so both backends return the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers too (rates, averages); we never store money as numeric here.
pg.types.setTypeParser(1700, (v) => Number(v));

/** PostgreSQL (>= 15 with pgvector) through a `pg` connection pool. */
export async function openPostgres(connectionString: string, max = 10): Promise<PostgresDatabase> {
  const open = (extra: Record<string, string>, size: number) => {
    const pool = new pg.Pool({ connectionString: withSessionSettings(connectionString, extra), max: size, connectionTimeoutMillis: 5000 });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on("error", () => {});
    return pool;
  };
  // Database.replayable: a few connections of their own whose commits do not wait for the WAL flush.
  const db = new PostgresDatabase(open({}, max), open({ synchronous_commit: "off" }, Math.max(2, Math.ceil(max / 4))));
  await db.ping();
  return db;
}

export class PostgresDatabase implements Database {
  readonly kind = "postgres" as const;
  readonly replayable: Queryable;
  constructor(
    readonly pool: pg.Pool,
    private readonly replayPool: pg.Pool,
  ) {
    this.replayable = { query: (sql, params) => queryPool(replayPool, sql, params) };
  }

  query<T>(sql: string | Statement, params?: unknown[]): Promise<QueryResult<T>> {
    return queryPool<T>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose connection drops between two queries (PostgreSQL
    // restarting sends 57P01 to every backend) emits 'error'; the pool only listens
    // while the client is idle, and an 'error' nobody listens to crashes the process
    // (tests/faults/postgresRestart.fault.ts caught a worker dying so). The next query
    // fails instead, and the broken client is dropped from the pool on release.
    let broken: Error | undefined;
    const onError = (err: Error) => void (broken = err);
    client.on("error", onError);
    const tx: Transaction = {
      async exec(sql: string) {
        await client.query(sql);
      },
      async query<R>(sql: string | Statement, params?: unknown[]) {
        const r = await client.query(toConfig(sql, params));
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
    };
    try {
      await client.query("BEGIN");
      const result = await fn(tx);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  async exec(sql: string) {
    await this.pool.query(sql);
  }
  async ping() {
    await this.pool.query("SELECT 1");
  }
  async close() {
    await Promise.all([this.pool.end(), this.replayPool.end()]);
  }
}

async function queryPool<T>(pool: pg.Pool, sql: string | Statement, params?: unknown[]): Promise<QueryResult<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await pool.query(toConfig(sql, params));
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    } catch (err) {
      // A prepared statement outlives a migration that changes its columns (another
      // process migrating during a rolling deploy): PostgreSQL refuses to run it. The
      // pool drops a connection whose query failed, so each retry gets a client that
      // either prepares afresh or also holds the old plan and is dropped in turn.
      if (!(typeof sql !== "string" && isStalePlan(err) && attempt <= pool.options.max)) throw err;
    }
  }
}

function toConfig(sql: string | Statement, params?: unknown[]): pg.QueryConfig {
  return typeof sql === "string" ? { text: sql, values: params } : { name: sql.name, text: sql.text, values: params };
}

function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "0A000" && /cached plan must not change result type/.test(e.message ?? "");
}
