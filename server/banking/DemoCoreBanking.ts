import type { Queryable } from "../db/Database.ts";
import { AppError } from "../errors.ts";
import { maskNumber, type Account, type Card, type CoreBanking, type Deposit, type Transaction } from "./CoreBanking.ts";

const yuan = (cents: string | number | null) => (cents === null ? null : Number(cents) / 100);

/** CoreBanking over the demo tables (migration 003), seeded for the demo customers. */
export class DemoCoreBanking implements CoreBanking {
  constructor(private readonly db: Queryable) {}

  async accounts(customerId: string): Promise<Account[]> {
    const { rows } = await this.db.query<{
      id: string;
      kind: Account["kind"];
      name: string;
      number: string;
      currency: string;
      balance: string;
      credit_limit: string | null;
    }>(
      `SELECT id, kind, name, number, currency, balance_cents::text AS balance, credit_limit_cents::text AS credit_limit
       FROM demo_accounts WHERE customer_id = $1 ORDER BY kind, name`,
      [customerId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      maskedNumber: maskNumber(r.number),
      currency: r.currency,
      balance: yuan(r.balance)!,
      creditLimit: yuan(r.credit_limit),
    }));
  }

  async cards(customerId: string): Promise<Card[]> {
    const { rows } = await this.db.query<Card>(
      "SELECT id, kind, product, last4, status, expires FROM demo_cards WHERE customer_id = $1 AND status <> 'cancelled' ORDER BY kind, last4",
      [customerId],
    );
    return rows;
  }

  async recentTransactions(customerId: string, limit = 5): Promise<Transaction[]> {
    const { rows } = await this.db.query<{ id: string; name: string; posted_at: Date; description: string; amount: string }>(
      `SELECT t.id, a.name, t.posted_at, t.description, t.amount_cents::text AS amount
       FROM demo_transactions t JOIN demo_accounts a ON a.id = t.account_id
       WHERE a.customer_id = $1 ORDER BY t.posted_at DESC LIMIT $2`,
      [customerId, limit],
    );
    return rows.map((r) => ({ id: r.id, accountName: r.name, postedAt: r.posted_at, description: r.description, amount: yuan(r.amount)! }));
  }

  async deposits(customerId: string): Promise<Deposit[]> {
    const { rows } = await this.db.query<{
      id: string;
      kind: Deposit["kind"];
      principal: string;
      monthly: string | null;
      rate_percent: number;
      term_months: number;
      opened_on: Date;
      maturity_on: Date;
      paid_instalments: number | null;
      missed_instalments: number;
      auto_rollover: boolean;
    }>(
      `SELECT id, kind, principal_cents::text AS principal, monthly_cents::text AS monthly, rate_percent, term_months,
              opened_on, maturity_on, paid_instalments, missed_instalments, auto_rollover
       FROM demo_deposits WHERE customer_id = $1 ORDER BY maturity_on`,
      [customerId],
    );
    return rows.map((r) => {
      const principal = yuan(r.principal)!;
      const monthly = yuan(r.monthly);
      const rate = r.rate_percent / 100;
      // 零存整取 interest: each instalment earns for the months it is held (the
      // "cumulative months" method banks publish); a time deposit simple interest.
      const expectedInterest =
        r.kind === "instalment" && monthly
          ? (monthly * ((r.term_months * (r.term_months + 1)) / 2) * rate) / 12
          : (principal * rate * r.term_months) / 12;
      return {
        id: r.id,
        kind: r.kind,
        principal,
        monthly,
        ratePercent: Number(r.rate_percent.toFixed(2)),
        termMonths: r.term_months,
        openedOn: isoDate(r.opened_on),
        maturityOn: isoDate(r.maturity_on),
        paidInstalments: r.paid_instalments,
        missedInstalments: r.missed_instalments,
        autoRollover: r.auto_rollover,
        expectedInterest: Math.round(expectedInterest * 100) / 100,
      };
    });
  }

  async setCardStatus(customerId: string, cardId: string, status: "active" | "frozen"): Promise<Card> {
    const { rows } = await this.db.query<Card>(
      "UPDATE demo_cards SET status = $3 WHERE id = $2 AND customer_id = $1 AND status <> 'cancelled' RETURNING id, kind, product, last4, status, expires",
      [customerId, cardId, status],
    );
    if (!rows[0]) throw new AppError("not_found", "Card not found");
    return rows[0];
  }
}

function isoDate(d: Date | string): string {
  return d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
}
