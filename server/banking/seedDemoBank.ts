import type { Queryable } from "../db/Database.ts";

interface DemoCustomer {
  id: string;
  /** Where the demo bank would text or mail a one-time code (step-up verification). */
  phone: string;
  email: string;
  accounts: Array<{ kind: "current" | "savings" | "credit"; name: string; number: string; balance: number; creditLimit?: number }>;
}

const CUSTOMERS: DemoCustomer[] = [
  {
    id: "C-1001",
    phone: "+8613800138001",
    email: "wang.fang@example.com",
    accounts: [
      { kind: "current", name: "Everyday Account", number: "6222020200112345678", balance: 23_580.42 },
      { kind: "savings", name: "Savings Account", number: "6222020200187654321", balance: 150_000 },
      { kind: "credit", name: "Bayview Platinum Credit Card", number: "6259650000004321", balance: -3_280, creditLimit: 80_000 },
    ],
  },
  {
    id: "C-1002",
    phone: "+8613900139002",
    email: "emma.liu@example.com",
    accounts: [
      { kind: "current", name: "Everyday Account", number: "6222020200155550000", balance: 4_120.5 },
      { kind: "credit", name: "Bayview Classic Credit Card", number: "6259650000008765", balance: -1_045.8, creditLimit: 20_000 },
    ],
  },
];

const MERCHANTS = [
  "Hema Fresh supermarket",
  "Didi ride",
  "China Mobile top-up",
  "Starbucks",
  "Salary — Shanghai Tech Ltd",
  "JD.com order",
  "Electricity bill",
  "Transfer to Li Wei",
];

/**
 * The phone and e-mail address the demo bank has on file for each demo customer
 * (where step-up codes go). The demo customers are fixed, so their profile is read
 * from here: a table would hold the same two rows.
 */
export const DEMO_CONTACT_DETAILS: ReadonlyMap<string, { phone: string; email: string }> = new Map(
  CUSTOMERS.map((c) => [c.id, { phone: c.phone, email: c.email }]),
);

/** Demo accounts, cards, transactions and deposits for the demo customers (C-1001, C-1002). */
export async function seedDemoBank(db: Queryable, now = new Date()): Promise<void> {
  for (const c of CUSTOMERS) {
    for (const [i, a] of c.accounts.entries()) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO demo_accounts (customer_id, kind, name, number, balance_cents, credit_limit_cents)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (number) DO NOTHING RETURNING id`,
        [c.id, a.kind, a.name, a.number, Math.round(a.balance * 100), a.creditLimit ? a.creditLimit * 100 : null],
      );
      const accountId = rows[0]?.id;
      if (!accountId) continue;
      if (a.kind !== "savings") {
        await db.query("INSERT INTO demo_cards (customer_id, account_id, kind, product, last4, expires) VALUES ($1, $2, $3, $4, $5, $6)", [
          c.id,
          accountId,
          a.kind === "credit" ? "credit" : "debit",
          a.kind === "credit" ? a.name : "Bayview UnionPay Debit",
          a.number.slice(-4),
          "08/29",
        ]);
      }
      for (let t = 0; t < 8; t++) {
        const day = new Date(now.getTime() - (t * 2 + i) * 86_400_000);
        const merchant = MERCHANTS[(t + i) % MERCHANTS.length]!;
        const amount = merchant.startsWith("Salary") ? 18_500 : -Math.round(((t * 37 + i * 11) % 480) + 12.5);
        await db.query("INSERT INTO demo_transactions (account_id, posted_at, description, amount_cents) VALUES ($1, $2, $3, $4)", [
          accountId,
          day,
          merchant,
          Math.round(amount * 100),
        ]);
      }
    }
  }
  const addMonths = (m: number) => {
    const d = new Date(now);
    d.setMonth(d.getMonth() + m);
    return d.toISOString().slice(0, 10);
  };
  await db.query(
    `INSERT INTO demo_deposits (customer_id, kind, principal_cents, monthly_cents, rate_percent, term_months, opened_on, maturity_on, paid_instalments, missed_instalments)
     VALUES ('C-1001', 'time', 10000000, NULL, 1.35, 12, $1, $2, NULL, 0),
            ('C-1001', 'instalment', 2000000, 200000, 1.25, 36, $3, $4, 10, 1),
            ('C-1002', 'time', 5000000, NULL, 1.75, 36, $5, $6, NULL, 0)`,
    [addMonths(-10), addMonths(2), addMonths(-10), addMonths(26), addMonths(-30), addMonths(6)],
  );
}
