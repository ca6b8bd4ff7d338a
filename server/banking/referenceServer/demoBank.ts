import { openPGlite, type PGliteDatabase } from "../../db/pglite.ts";
import { listMigrations, migrate } from "../../db/migrate.ts";
import { DemoCoreBanking } from "../DemoCoreBanking.ts";
import { seedDemoBank } from "../seedDemoBank.ts";

/**
 * The demo bank's data in an embedded database of its own, as the reference server
 * serves it: only the core-banking tables (the bank's side knows nothing of
 * BankDesk's conversations), seeded with the demo customers C-1001 and C-1002
 * once, when new.
 */
export async function openDemoBank(opts: { dataDir?: string } = {}): Promise<{ db: PGliteDatabase; core: DemoCoreBanking }> {
  const db = await openPGlite({ dataDir: opts.dataDir });
  await migrate(
    db,
    listMigrations().filter((m) => m.name.includes("demo_core_banking")),
  );
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_accounts");
  if (rows[0]!.n === 0) await seedDemoBank(db);
  return { db, core: new DemoCoreBanking(db) };
}
