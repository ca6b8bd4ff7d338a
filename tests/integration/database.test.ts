import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingPostgres } from "../helpers/testDatabase.ts";
import { listMigrations, migrate } from "../../server/db/migrate.ts";
import { toVector, type Database } from "../../server/db/Database.ts";

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
