import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingPostgres } from "../helpers/testDatabase.ts";
import { listMigrations, migrate } from "../../server/db/migrate.ts";
import { statement, toVector, type Database } from "../../server/db/Database.ts";
import { SESSION_SETTINGS } from "../../server/db/sessionSettings.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

describe(`database backend: ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  it(`is the ${usingPostgres ? "postgres" : "pglite"} backend`, () => {
    expect(db.kind).toBe(usingPostgres ? "postgres" : "pglite");
  });

  it("has every migration applied, and migrating again does nothing", async () => {
    const { rows } = await db.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    expect(await Promise.all([migrate(db), migrate(db)])).toEqual([[], []]);
  });

  it("has pgvector with cosine distance", async () => {
    const { rows } = await db.query<{ d: number }>("SELECT $1::vector <=> $2::vector AS d", [toVector([1, 0]), toVector([0, 1])]);
    expect(rows[0]!.d).toBeCloseTo(1);
  });

  it("starts every session with the session settings: hnsw.ef_search above knowledge search's 50 candidates", async () => {
    // Several at once, so that a pool opens several connections.
    const results = await Promise.all(
      Array.from({ length: 6 }, () => db.query<{ v: string }>("SELECT current_setting('hnsw.ef_search') AS v")),
    );
    for (const r of results) expect(r.rows[0]!.v).toBe(SESSION_SETTINGS["hnsw.ef_search"]);
    expect(Number(SESSION_SETTINGS["hnsw.ef_search"])).toBeGreaterThanOrEqual(50);
  });

  it("keeps passage vectors in the row, not in the TOAST table (where each distance fetched them back)", async () => {
    const { rows } = await db.query<{ storage: string; options: string[] | null }>(
      `SELECT a.attstorage AS storage, c.reloptions AS options FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relname = 'kb_passages' AND a.attname = 'embedding'`,
    );
    expect(rows[0]).toEqual({ storage: "m", options: ["toast_tuple_target=8160"] });
  });

  it("runs named statements, and re-prepares them when a migration changes their columns", async () => {
    await db.exec("CREATE TABLE prepared_probe (id int PRIMARY KEY, a text); INSERT INTO prepared_probe VALUES (1, 'x')");
    const probe = statement("SELECT * FROM prepared_probe WHERE id = $1");
    // Prepared on several connections of the pool.
    await Promise.all(Array.from({ length: 6 }, () => db.query(probe, [1])));
    // Another process migrating (a rolling deploy): the statements' result type changes under them.
    await db.exec("ALTER TABLE prepared_probe ADD COLUMN b text DEFAULT 'y'");
    const after = await Promise.all(Array.from({ length: 6 }, () => db.query(probe, [1])));
    for (const r of after) expect(r.rows).toEqual([{ id: 1, a: "x", b: "y" }]);
    await db.transaction(async (tx) => expect((await tx.query(probe, [1])).rows).toEqual([{ id: 1, a: "x", b: "y" }]));
    await db.exec("DROP TABLE prepared_probe");
  });

  it("commits replayable writes without waiting for the WAL flush, visible at once to every session", async () => {
    const setting = async (q: Pick<Database, "query">) =>
      (await q.query<{ v: string }>("SELECT current_setting('synchronous_commit') AS v")).rows[0]!.v;
    expect(await setting(db)).toBe("on");
    // PostgreSQL: connections of their own with synchronous_commit off. PGlite: its one session.
    expect(await setting(db.replayable)).toBe(usingPostgres ? "off" : "on");
    await db.query("CREATE TABLE IF NOT EXISTS replay_probe (id int PRIMARY KEY)");
    await db.replayable.query("INSERT INTO replay_probe VALUES (1) ON CONFLICT DO NOTHING");
    expect((await db.query("SELECT id FROM replay_probe")).rows).toEqual([{ id: 1 }]);
    await db.query("DROP TABLE replay_probe");
  });

  it("rolls a failed transaction back", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO teams (name, slug) VALUES ('Rollback', 'rollback')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const { rowCount } = await db.query("SELECT 1 FROM teams WHERE slug = 'rollback'");
    expect(rowCount).toBe(0);
  });

  it("returns the same shapes on both backends (numbers, dates, json, arrays)", async () => {
    const { rows } = await db.query<{ n: number; c: number; d: Date; j: { a: number }; arr: string[] }>(
      "SELECT 1::int AS n, count(*) AS c, now() AS d, '{\"a\":1}'::jsonb AS j, ARRAY['x','y'] AS arr FROM teams",
    );
    expect(typeof rows[0]!.n).toBe("number");
    expect(typeof rows[0]!.c).toBe("number");
    expect(rows[0]!.d).toBeInstanceOf(Date);
    expect(rows[0]!.j).toEqual({ a: 1 });
    expect(rows[0]!.arr).toEqual(["x", "y"]);
  });
});
