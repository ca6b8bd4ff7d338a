import pg from "pg";
import type { Database, QueryResult, Transaction } from "./Database.ts";

// int8 (counts, sums) as numbers, like PGlite, so both backends return the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers too (rates, averages); we never store money as numeric here.
pg.types.setTypeParser(1700, (v) => Number(v));

/** PostgreSQL (>= 15 with pgvector) through a `pg` connection pool. */
export async function openPostgres(connectionString: string, max = 10): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  const db = new PostgresDatabase(pool);
  await db.ping();
  return db;
}

export class PostgresDatabase implements Database {
  readonly kind = "postgres" as const;
  constructor(readonly pool: pg.Pool) {}

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
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
      async query<R>(sql: string, params?: unknown[]) {
        const r = await client.query(sql, params as unknown[]);
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
    await this.pool.end();
  }
}
