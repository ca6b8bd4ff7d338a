/**
 * The one database interface. Two backends implement it (embedded PGlite and
 * PostgreSQL through `pg`) and both pass the same test suite. SQL is plain and
 * lives next to the code that owns it.
 */
import crypto from "node:crypto";

/**
 * SQL that runs often enough (on every message) to keep parsed and planned on each
 * PostgreSQL connection, as a named prepared statement: PostgreSQL then only binds
 * and executes it, about half the work of a statement parsed and planned each time
 * (pgbench on the message insert: 1,560 → 2,750 per second). Only for fixed SQL
 * text: every distinct text stays prepared on every connection for its lifetime.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** A fixed SQL text as a named statement (the name is a hash of the text). */
export function statement(text: string): Statement {
  return { name: `bd_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 20)}`, text };
}

export const sqlText = (sql: string | Statement): string => (typeof sql === "string" ? sql : sql.text);

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string | Statement, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Transaction extends Queryable {
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Transaction {
  readonly kind: "pglite" | "postgres";
  /**
   * For writes the system redoes by itself if a crash of the database loses them:
   * they commit without waiting for the write-ahead log to reach the disk
   * (PostgreSQL's synchronous_commit = off; durable a moment later, about 0.2 s,
   * and never half-applied). The assistant's reply is one: should the database
   * crash just after it, the unanswered-question sweep answers again
   * (assistant/findUnanswered.ts). A customer's message is never written so: it is
   * acknowledged as stored. Visible to every session at once, like any commit.
   */
  readonly replayable: Queryable;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Formats a number array as a pgvector literal for `$n::vector` parameters. */
export function toVector(values: ArrayLike<number>): string {
  return `[${Array.from(values, (v) => (Number.isFinite(v) ? Number(v.toFixed(6)) : 0)).join(",")}]`;
}
