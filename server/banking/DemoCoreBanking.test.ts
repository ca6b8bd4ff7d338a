import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/helpers/testDatabase.ts";
import type { Database } from "../db/Database.ts";
import { DemoCoreBanking } from "./DemoCoreBanking.ts";
import { seedDemoBank } from "./seedDemoBank.ts";

/**
 * The embedded demo bank's own behaviour, on the test database of the run (PGlite,
 * or PostgreSQL when DATABASE_URL is set, where requests with one key really race).
 * Over HTTP the same is tested in http/HttpCoreBanking.test.ts.
 */
let db: Database;
let core: DemoCoreBanking;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoBank(db);
  core = new DemoCoreBanking(db);
});
afterAll(() => db?.close());

describe("DemoCoreBanking", () => {
  it("pages transactions by cursor without gaps or repeats, also after a new posting", async () => {
    const first = await core.transactions("C-1001", { limit: 10 });
    // A posting between pages lands before the cursor, so the next page is unaffected.
    const account = (await core.accounts("C-1001"))[0]!;
    await db.query("INSERT INTO demo_transactions (account_id, posted_at, description, amount_cents) VALUES ($1, now(), 'New', -100)", [
      account.id,
    ]);
    const rest = await core.transactions("C-1001", { limit: 100, cursor: first.nextCursor! });
    const ids = [...first.items, ...rest.items].map((t) => t.id);
    expect(new Set(ids).size).toBe(24);
    expect(rest.nextCursor).toBeNull();
    expect((await core.transactions("C-1001", { limit: 100 })).items).toHaveLength(25);
    await expect(core.transactions("C-1001", { cursor: "bm9wZQ" })).rejects.toMatchObject({ failure: "rejected" });
  });

  it("keeps to a date range, both ends included", async () => {
    const all = (await core.transactions("C-1002", { limit: 100 })).items;
    const day = all[3]!.postedAt.toISOString().slice(0, 10);
    const only = await core.transactions("C-1002", { from: day, to: day, limit: 100 });
    expect(only.items.length).toBeGreaterThan(0);
    for (const t of only.items) expect(t.postedAt.toISOString().slice(0, 10)).toBe(day);
  });

  it("reports a card lost once for two requests with one key at the same time", async () => {
    const card = (await core.cards("C-1002")).find((c) => c.kind === "debit")!;
    const key = crypto.randomUUID();
    const request = { reason: "lost" as const, orderReplacement: true };
    const [a, b] = await Promise.all([
      core.reportCardLost("C-1002", card.id, request, { idempotencyKey: key }),
      core.reportCardLost("C-1002", card.id, request, { idempotencyKey: key }),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: "ordered", card: { status: "cancelled" } });
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_card_replacements WHERE card_id = $1", [card.id]);
    expect(rows[0]!.n).toBe(1);
    // Another report of the same card is refused, and freezing it finds nothing.
    await expect(core.reportCardLost("C-1002", card.id, request)).rejects.toMatchObject({ failure: "conflict" });
    await expect(core.setCardStatus("C-1002", card.id, "frozen")).rejects.toMatchObject({ failure: "not_found" });
  });

  it("makes up a missed instalment only when one is missed and the money is there", async () => {
    const plan = (await core.deposits("C-1001")).find((d) => d.kind === "instalment")!;
    const credit = (await core.accounts("C-1001")).find((a) => a.kind === "credit")!;
    // Not from a credit card, and not from another customer's account.
    await expect(core.makeUpInstalment("C-1001", plan.id, { fromAccountId: credit.id })).rejects.toMatchObject({ failure: "not_found" });
    const theirs = (await core.accounts("C-1002"))[0]!;
    await expect(core.makeUpInstalment("C-1001", plan.id, { fromAccountId: theirs.id })).rejects.toMatchObject({ failure: "not_found" });
    const savings = (await core.accounts("C-1001")).find((a) => a.kind === "savings")!;
    const after = await core.makeUpInstalment("C-1001", plan.id, { fromAccountId: savings.id });
    expect(after).toMatchObject({ paidInstalments: 11, missedInstalments: 0 });
    const schedule = await core.depositSchedule("C-1001", plan.id);
    expect(schedule.filter((i) => i.status === "missed")).toHaveLength(0);
    expect(schedule.filter((i) => i.status === "paid")).toHaveLength(11);
    await expect(core.makeUpInstalment("C-1001", plan.id, { fromAccountId: savings.id })).rejects.toMatchObject({ failure: "conflict" });
    // A time deposit has no instalments.
    const time = (await core.deposits("C-1001")).find((d) => d.kind === "time")!;
    await expect(core.makeUpInstalment("C-1001", time.id, { fromAccountId: savings.id })).rejects.toMatchObject({ failure: "conflict" });
  });

  it("does not show another customer's transaction, deposit or card", async () => {
    const t = (await core.transactions("C-1001", { limit: 1 })).items[0]!;
    await expect(core.transaction("C-1002", t.id)).rejects.toMatchObject({ failure: "not_found" });
    await expect(core.transaction("C-1002", "not-a-uuid")).rejects.toMatchObject({ failure: "not_found" });
    const d = (await core.deposits("C-1001"))[0]!;
    await expect(core.depositSchedule("C-1002", d.id)).rejects.toMatchObject({ failure: "not_found" });
    const c = (await core.cards("C-1001"))[0]!;
    await expect(core.setCardStatus("C-1002", c.id, "frozen")).rejects.toMatchObject({ failure: "not_found" });
  });
});
